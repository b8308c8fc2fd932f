"""Chinese NLU for the shop: intents and entities from what shoppers type.

`load_interpreter()` returns an `Interpreter` whose `parse(text)` gives a `Parse`
(intent, confidence, entities, ranking).  Backends: "embedded" (default; jieba +
char n-grams + pinyin features, a linear model, regex/lookup entities) and
"rasa" (a Rasa server's `POST /model/parse`, falling back to embedded).
Training data is Rasa 3 YAML in `nlu/data/`.

Intents: the core set in `schema.CORE_INTENTS` plus these extras for the dialogue:
- affirm: yes / that one / confirm (好的, 就这个, 确定, 是的, 嗯)
- deny: no / never mind (不要了, 算了, 不用)
- help: what can you do / how to use (帮助, 怎么用, 你能做什么)
- recommend: suggest something, best sellers (猜你喜欢, 推荐点, 有什么好卖的)
- get_promo_copy: share text for Moments / groups (给我一段朋友圈文案, 推广文案)
- remove_from_cart: take a line out of the cart (删掉购物车里的第二个)
- my_orders: list my orders (我的订单, 我买过什么)

Entities and normalised values: quantity/amount int (两 → 2, 1.5k → 1500),
price_min/price_max int fen, index int (第二个 → 2, 最后一个 → -1), order_no and
tracking_no upper-cased, spec (XL, 红色, 500g), carrier code (顺丰 → shunfeng),
payout_method (wechat | bank), product/category canonical catalog names.
A `confidence` below `Interpreter.threshold` means: ask a clarifying question.
"""

from __future__ import annotations

from nlu.loading import load_interpreter
from nlu.schema import ENTITIES, INTENTS
from nlu.types import Entity, Interpreter, Parse

__all__ = ["ENTITIES", "INTENTS", "Entity", "Interpreter", "Parse", "load_interpreter"]
