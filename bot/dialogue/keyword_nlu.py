"""A small keyword interpreter behind the NLU `Interpreter` interface.

Used when the NLU package cannot be loaded (missing model, import error) so the
bot keeps answering, and in dialogue tests where a deterministic parse matters
more than a clever one.  First matching rule wins; entities come from regexes
and the catalog vocabulary given through `update_vocabulary`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from nlu.numerals import CN_CHARS, parse_int
from nlu.types import Entity, Parse

NUM = rf"(?:\d{{1,4}}|[{CN_CHARS}]{{1,4}})"
RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((intent, re.compile(pattern)) for intent, pattern in (
    ("human_agent", r"转人工|人工客服|找客服|真人"),
    ("cancel_order", r"取消.*订单|订单.*取消|取消第|取消sy"),
    ("order_status", r"sy\d{6,}|订单.*(状态|到哪|怎么样)|查.*订单号"),
    ("my_orders", r"我的订单|订单列表|买过|^订单$"),
    ("checkout", r"结算|下单|买单|结账|付款"),
    ("remove_from_cart", r"删除|删掉|移除|不要了.*个|去掉"),
    ("view_cart", r"购物车"),
    ("product_detail", r"详细|详情|介绍|说说|怎么样|看看第|多少钱"),
    ("add_to_cart", rf"来{NUM}?[件个份盒箱斤袋瓶]|再来|要{NUM}[件个份盒箱斤袋瓶]|加入|加购|换成|改成|要第|就这个|就要这个|买{NUM}"),
    ("recommend", r"猜你喜欢|推荐|热销|爆款"),
    ("browse_category", r"分类|好吃的|逛逛|有什么.*(吃|喝|用|穿)"),
    ("search_product", r"搜|找|有没有|想买|有卖|元以内|块以内|以下的"),
    ("greet", r"^(你好|您好|hi|hello|哈喽|在吗)"),
    ("thanks", r"谢谢|多谢|感谢"),
    ("goodbye", r"再见|拜拜"),
    ("help", r"帮助|怎么用|你能做什么"),
    ("affirm", r"^(好的?|确认|确定|是的?|对|行|可以|嗯+|同意|ok)$"),
    ("deny", r"^(不要|不用|算了|不了|不同意|no)$"),
))
CATEGORY_WORDS = {"好吃的": "食品", "吃的": "食品", "喝的": "饮品"}
INDEX = re.compile(rf"第\s*({NUM})\s*[个款件种项样]?|最后一?[个款件]")
QUANTITY = re.compile(rf"({NUM})\s*[件个份盒箱袋瓶]")
SPEC = re.compile(r"(?<![a-z])(xxl|xl|xs|[sml])(?:码|号)?(?![a-z])", re.I)
PRICE_MAX = re.compile(r"(\d{1,6})\s*(?:元|块)?\s*(?:以内|以下|之内)")
PRICE_MIN = re.compile(r"(\d{1,6})\s*(?:元|块)?\s*(?:以上)")
ORDER_NO = re.compile(r"sy\s?\d{6,20}", re.I)


class KeywordInterpreter:
    threshold = 0.45

    def __init__(self) -> None:
        self._products: list[str] = []
        self._categories: list[str] = []
        self._specs: list[str] = []

    def update_vocabulary(self, *, products: Iterable[str] = (), categories: Iterable[str] = (),
                          carriers: Iterable[str] = (), specs: Iterable[str] = ()) -> None:
        self._products = sorted({p for p in products if p}, key=len, reverse=True)
        self._categories = sorted({c for c in categories if c}, key=len, reverse=True)
        self._specs = sorted({s for s in specs if s}, key=len, reverse=True)

    def parse(self, text: str) -> Parse:
        text = text[:300]
        low = text.lower()
        entities = self._entities(text, low)
        intent = next((name for name, rule in RULES if rule.search(low)), "")
        if not intent and any(e.entity in ("product", "category") for e in entities):
            intent = "search_product"
        confidence = 0.9 if intent else 0.2
        intent = intent or "out_of_scope"
        return Parse(text=text, intent=intent, confidence=confidence, entities=tuple(entities),
                     ranking=((intent, confidence),))

    def _entities(self, text: str, low: str) -> list[Entity]:
        found: list[Entity] = []
        for name, words in (("product", self._products), ("category", self._categories)):
            word = next((w for w in words if w.lower() in low), None)
            if word:
                start = low.index(word.lower())
                found.append(Entity(name, text[start:start + len(word)], start, start + len(word), word))
        for surface, category in CATEGORY_WORDS.items():
            if surface in low and not any(e.entity == "category" for e in found):
                start = low.index(surface)
                found.append(Entity("category", surface, start, start + len(surface), category))
        found += self._numbers(text, low)
        return found

    def _numbers(self, text: str, low: str) -> list[Entity]:
        out: list[Entity] = []
        if (m := INDEX.search(low)) is not None:
            out.append(Entity("index", m.group(), m.start(), m.end(), parse_int(m.group(1)) if m.group(1) else -1))
        taken = out[0].end if out else -1
        if (m := next((q for q in QUANTITY.finditer(low) if q.start() >= taken), None)) is not None:
            out.append(Entity("quantity", m.group(1), m.start(1), m.end(1), parse_int(m.group(1))))
        spec = next((m for s in self._specs if (m := _word(s.lower()).search(low))), None)
        if spec is not None:
            out.append(Entity("spec", text[spec.start():spec.end()], spec.start(), spec.end(),
                              next(s for s in self._specs if s.lower() == spec.group())))
        elif (m := SPEC.search(low)) is not None:
            out.append(Entity("spec", m.group(1), m.start(1), m.end(1), m.group(1).upper()))
        for name, rule in (("price_max", PRICE_MAX), ("price_min", PRICE_MIN)):
            if (m := rule.search(low)) is not None:
                out.append(Entity(name, m.group(1), m.start(1), m.end(1), int(m.group(1)) * 100))
        if (m := ORDER_NO.search(low)) is not None:
            out.append(Entity("order_no", m.group(), m.start(), m.end(), m.group().replace(" ", "").upper()))
        return out


def _word(term: str) -> re.Pattern[str]:
    """`term` not glued to other ASCII letters or digits (`xl` is not in `xxl`)."""
    return re.compile(rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])")
