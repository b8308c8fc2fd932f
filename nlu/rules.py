"""The rule layer: keyword intents for when no model can be loaded or trained.

Deliberately small and high-precision; it keeps the bot answering the common
requests while an operator fixes the model (`siyu nlu train`).
"""

from __future__ import annotations

from collections.abc import Iterable

from nlu.entities.extractor import extract, finalize
from nlu.lexicon import Lexicon
from nlu.normalize import normalize, truncate
from nlu.schema import OUT_OF_SCOPE
from nlu.types import Parse

RULE_CONFIDENCE = 0.6
KEYWORDS: dict[str, tuple[str, ...]] = {
    "human_agent": ("人工", "客服", "真人"),
    "withdraw": ("提现", "取现"),
    "commission_query": ("佣金", "收益", "赚了多少"),
    "become_distributor": ("分销", "推广员", "代理", "分销商"),
    "get_poster": ("海报", "推广码", "二维码"),
    "get_promo_copy": ("文案",),
    "track_logistics": ("物流", "快递", "到哪", "发货"),
    "refund_request": ("退款", "退货", "售后"),
    "cancel_order": ("取消订单", "不要这单"),
    "order_status": ("订单状态", "订单到"),
    "my_orders": ("我的订单", "买过"),
    "remove_from_cart": ("删掉", "删除", "移除"),
    "view_cart": ("购物车",),
    "checkout": ("结算", "下单", "付款", "买单"),
    "add_to_cart": ("加入", "加购", "来一", "要一"),
    "coupon_query": ("优惠券", "券"),
    "points_query": ("积分",),
    "member_info": ("会员",),
    "recommend": ("推荐", "猜你喜欢"),
    "browse_category": ("分类", "类目", "有哪些"),
    "help": ("帮助", "怎么用", "help"),
    "thanks": ("谢谢", "感谢", "thx", "thanks"),
    "goodbye": ("再见", "拜拜", "bye"),
    "greet": ("你好", "在吗", "hello", "hi", "您好"),
    "affirm": ("好的", "确定", "是的", "对", "嗯"),
    "deny": ("不要", "算了", "不用"),
    "search_product": ("有没有", "找", "搜"),
}


class RuleInterpreter:
    def __init__(self, lexicon: Lexicon, threshold: float = 0.45) -> None:
        self.lexicon = lexicon
        self.threshold = threshold

    def parse(self, text: str) -> Parse:
        text = text if isinstance(text, str) else str(text)
        truncated = truncate(text)
        norm = normalize(truncated)
        candidates = extract(norm, self.lexicon.vocabulary)
        intent, confidence = OUT_OF_SCOPE, 0.0
        for name, words in KEYWORDS.items():
            if any(word in norm for word in words):
                intent, confidence = name, RULE_CONFIDENCE
                break
        else:
            if any(c.entity == "product" for c in candidates):
                intent, confidence = "search_product", RULE_CONFIDENCE
        entities = finalize(truncated, candidates, intent)
        return Parse(text, intent, confidence, entities, ((intent, confidence),))

    def update_vocabulary(
        self,
        *,
        products: Iterable[str] = (),
        categories: Iterable[str] = (),
        carriers: Iterable[str] = (),
        specs: Iterable[str] = (),
    ) -> None:
        self.lexicon.update(product=products, category=categories, carrier=carriers, spec=specs)
