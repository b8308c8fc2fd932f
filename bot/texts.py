"""Every Chinese sentence the bot says, in one place, so a merchant can reword them.

Templates use `str.format` fields.  Money is shown only through `yuan(fen)`.
Domain errors map to text in `ERROR_TEXTS` (looked up along the error's MRO,
formatted with the error's attributes).
"""

from __future__ import annotations

import logging
from typing import Any

from commerce.catalog.errors import ProductOffShelf
from commerce.errors import CommerceError, ConsentRequired, IllegalTransition, InvalidInput, NotFound
from commerce.inventory.errors import OutOfStock, PurchaseLimitExceeded, SkuUnavailable
from commerce.money import fen_to_yuan_str
from commerce.orders.errors import EmptyCheckout, OrderNotPayable

log = logging.getLogger("bot.texts")


def yuan(fen: int) -> str:
    """1230 → '¥12.30'."""
    return "¥" + fen_to_yuan_str(fen)


# -- welcome, help, small talk ------------------------------------------------
PRIVACY_NOTICE = (
    "【个人信息保护提示】下单时我们需要收集收货人姓名、手机号和地址，仅用于发货、售后和订单通知；"
    "数据加密保存，订单完成后按法定期限保存，不会出售或用于其他目的。"
    "你可随时回复「我的信息」查看、「删除我的信息」删除。"
)
WELCOME = (
    "欢迎关注{shop}！我是你的购物助手，直接打字就能逛店下单：\n"
    "· 回复「有什么好吃的」「全部分类」逛逛\n"
    "· 直接发商品名搜索，如「脐橙」「200元以内的护肤品」\n"
    "· 「购物车」「结算」「我的订单」\n"
    "· 「成为推广员」分享赚佣金，「转人工」找客服\n\n"
    "温馨提示：只有下单时才会请你填写收货信息，我们会事先征得你的同意。"
)
HELP = (
    "我能帮你：\n"
    "1. 逛店：「全部分类」「猜你喜欢」「有什么好吃的」\n"
    "2. 搜索：发商品名，可加价格，如「100元以内的茶叶」\n"
    "3. 看详情：列表出来后回复「第2个」或「2」\n"
    "4. 下单：「来两件」「要XL的」「购物车」「结算」\n"
    "5. 订单：「我的订单」「查订单 SY…」「取消订单」\n"
    "6. 找客服：「转人工」"
)
GREET = "你好呀～我是{shop}的购物助手。想买点什么？可以直接发商品名，或回复「帮助」看看我能做什么。"
THANKS = "不客气～还需要什么随时叫我。"
GOODBYE = "好的，欢迎随时回来逛逛～"
ACK = "好的～还需要什么？发商品名或回复「帮助」。"
OUT_OF_SCOPE = (
    "这个我暂时帮不上忙😅 我擅长的是：找商品、看详情、加购物车、下单和查订单。\n"
    "试试「猜你喜欢」「全部分类」，或回复「转人工」联系客服。"
)
CLARIFY = "我不太确定你的意思，你是想："
CLARIFY_OPTION = "{n}. {label}"
CLARIFY_TAIL = "回复序号或直接说就行～"
INTENT_LABELS: dict[str, str] = {
    "search_product": "搜索商品", "browse_category": "逛逛分类", "product_detail": "看商品详情",
    "add_to_cart": "加入购物车", "view_cart": "看购物车", "checkout": "去结算", "my_orders": "查我的订单",
    "order_status": "查订单状态", "cancel_order": "取消订单", "track_logistics": "查物流",
    "refund_request": "申请退款", "recommend": "猜你喜欢", "human_agent": "转人工客服", "help": "看帮助",
    "coupon_query": "查优惠券", "points_query": "查积分", "member_info": "会员信息",
    "become_distributor": "成为推广员", "get_poster": "我的推广码", "commission_query": "查佣金",
    "withdraw": "佣金提现", "remove_from_cart": "删除购物车商品", "get_promo_copy": "推广文案",
}
COMING_SOON = "「{label}」功能马上就来～现在可以先逛逛商品，或回复「转人工」找客服帮忙。"
TRANSFERRING = "正在为你转接人工客服，请稍候～"

# -- unknown message types ----------------------------------------------------
MESSAGE_KIND_REPLIES: dict[str, str] = {
    "image": "收到图片啦～我暂时看不懂图片，请用文字告诉我想买什么，或回复「转人工」。",
    "voice": "语音我还听不清，麻烦打字告诉我～比如「脐橙」「我的订单」。",
    "video": "收到视频啦～我暂时看不了视频，请用文字描述你的需要。",
    "shortvideo": "收到视频啦～我暂时看不了视频，请用文字描述你的需要。",
    "location": "收到位置啦～下单时我会请你填写完整的收货地址。想买点什么？",
    "link": "收到链接啦～我打不开链接，请直接发商品名搜索。",
}
UNKNOWN_KIND = "这种消息我暂时处理不了，请用文字告诉我你的需要，或回复「帮助」。"
EMPTY_TEXT = "你好像发了空白消息～想买点什么？回复「帮助」看看我能做什么。"

# -- catalog --------------------------------------------------------------------
CATEGORIES_HEAD = "全部分类（回复序号或分类名）："
CATEGORY_LINE = "{n}. {name}"
NO_CATEGORIES = "店铺还在上新中，暂时没有分类～"
PRODUCT_LIST_HEAD = "为你找到这些{what}："
PRODUCT_LINE = "{n}. {name} {price}起{badge}"
PRODUCT_LIST_TAIL = "回复「第1个」或「1」看详情，「来两件第1个」直接加购"
NO_PRODUCTS = "没找到{what}相关的商品😢 换个说法试试，或回复「猜你喜欢」看看热销好物。"
NO_PRODUCTS_FILTERED = "{what}没有符合条件的商品，试试放宽价格范围？"
RECOMMEND_HEAD = "猜你喜欢（店里卖得最好的）："
SOLD_OUT_BADGE = "（售罄）"
SEARCH_PROMPT = "想找什么？直接发商品名就行，比如「脐橙」「300元以内的面霜」。"
DETAIL_TITLE = "{name} {price}"
DETAIL_PRICE = "价格：{price}{original}"
DETAIL_MEMBER = "会员价：{price}"
DETAIL_STOCK = "库存：{stock}"
DETAIL_SPECS = "规格：{specs}"
DETAIL_TAIL = "回复「来一件」加入购物车，点开看大图"
NO_INDEX = "列表里没有第{n}个哦，请回复 1～{total} 之间的序号。"
NO_INDEX_FROM_END = "列表里只有 {total} 个，没有倒数第{n}个哦，请回复 1～{total} 之间的序号。"
NO_LIST = "要先让我找点商品～发个商品名试试，比如「脐橙」。"
WHICH_PRODUCT = "你想要哪一款？先发商品名，或回复列表里的序号～"
PRODUCT_GONE = "这件商品已下架，看看别的吧～"
DETAIL_RETURNABLE = "支持{days}天无理由退货"
DETAIL_NOT_RETURNABLE = "不支持7天无理由退货（鲜活易腐、服务类等）"
DETAIL_SPEC_PRICE = "{spec} {price}"

# -- pre-sale questions about a product or the shop (退换、发票、送人)
RETURN_POLICY_OK = (
    "「{name}」支持{days}天无理由退货：签收后{days}天内，商品完好、不影响二次销售就能申请，寄回运费由你承担。\n"
    "已经买了要退，回复「申请退款」；质量问题回复「转人工」。"
)
RETURN_POLICY_NO = (
    "「{name}」不支持7天无理由退货（鲜活易腐、服务类等商品按规定不适用）。\n"
    "如有质量问题（比如坏果、破损），拍照后回复「转人工」，客服会为你处理。"
)
RETURN_POLICY_GENERAL = (
    "本店商品签收后{days}天内支持无理由退货（鲜活易腐等商品除外，商品详情里会注明）。\n"
    "已经买了要退，回复「申请退款」；质量问题回复「转人工」。"
)
SUITABLE_SAID = "「{name}」的商品介绍里写着：{said}。\n个人体质不同，拿不准的话回复「转人工」问问客服～"
SUITABLE_UNKNOWN = "「{name}」的商品介绍里没有写到「{who}」能不能用，不敢乱说😅 回复「转人工」让客服帮你确认一下吧。"
QUALITY_ISSUE = (
    "很抱歉给你带来不好的体验😣 质量问题（破损、坏果、发错货等）请回复「转人工」，把照片发给客服优先处理；"
    "想直接退款回复「申请退款」。"
)
USAGE_SAID = "「{name}」的商品说明：{description}\n具体用法用量以包装说明为准，拿不准的话回复「转人工」问问客服～"
USAGE_UNKNOWN = "「{name}」的商品介绍里没有写用法用量，请以包装说明为准，或回复「转人工」问问客服～"
PAY_METHODS = (
    "本店用微信支付：确认订单后点订单卡片打开支付页付款，零钱、银行卡都可以（能否用信用卡以微信支付页面为准）；"
    "暂不支持货到付款、支付宝和花呗。"
)
PAY_TROUBLE = (
    "别着急～已经扣款的话，订单一般几分钟内会自动变成「已支付」，回复「我的订单」看看；"
    "没付成功可以在「我的订单」里重新打开支付链接。还是不对（比如扣了两次钱），回复「转人工」让客服帮你核对。"
)
INVOICE_INFO = "需要发票的话，付款后回复「转人工」，把发票抬头和税号发给客服，会为你开具电子发票～"
GIFT_ADDRESS = (
    "可以的～结算时收货人填对方的姓名、手机号和地址就行；"
    "已保存过地址的话，确认订单时回复「修改地址」换成对方的。"
)
BOT_IDENTITY = "我是{shop}的智能购物助手🤖，找商品、下单、查订单都可以直接问我；需要真人帮忙回复「转人工」。"
MERCHANT_ONLY = (
    "「{command}」是商家管理指令，只有店铺管理员可以使用哦～\n"
    "如果你是顾客：查订单回复「我的订单」，问发货回复「什么时候发货」，其他问题回复「转人工」。"
)
MERCHANT_USE_CLI = "「{command}」这类商家指令暂时还不能在聊天里操作，请在商家后台或用命令行 siyu 处理～"

# -- cart -------------------------------------------------------------------------
ASK_SPEC = "「{name}」有这些规格，要哪个？"
SPEC_LINE = "{n}. {spec} {price}{stock}"
SPEC_OUT = "（缺货）"
ASK_SPEC_TAIL = "回复序号或规格名，比如「{example}」"
NO_SUCH_SPEC = "没有「{spec}」这个规格哦。"
ONLY_SPECS = "「{name}」目前只有这些规格：{specs}。想要的话回复「来一件」，或发个商品名看看别的～"
ONE_SPEC = "一种规格"
NO_SUCH_SPEC_LISTED = "暂时没有「{spec}」的哦，店里有这些，看看合不合适："
SPEC_OFFER = "有的～「{name}」{spec} {price}{member}，库存 {stock}。\n要的话回复「来一件」或「来两件」；其他规格：{others}"
SPEC_OFFER_MEMBER = "（会员价 {price}）"
SPEC_SOLD_OUT = "「{name}」{spec} 暂时缺货了😢 可以看看其他规格：{others}"
ADDED = "已加入购物车：{item}×{qty}\n购物车共 {count} 件，合计 {total}\n回复「结算」下单，或继续逛～"
CART_EMPTY = "购物车还是空的～发个商品名逛逛吧，比如「脐橙」。"
EMPTY_CHECKOUT_FOCUS = "购物车还是空的～刚才看的「{name}」还没加进来：{how}，再回复「结算」。"
EMPTY_CHECKOUT_SPECS = "回复规格就能加购，如「{specs}」"
EMPTY_CHECKOUT_ONE = "回复「来一件」就能加购"
CART_HEAD = "你的购物车："
CART_LINE = "{n}. {item} {price}×{qty}"
CART_TOTAL = "合计 {total}（共 {count} 件）"
CART_TAIL = "回复「结算」下单；「第1个改成3件」改数量；「删除第1个」移除"
REMOVED = "已从购物车移除「{name}」。"
NOT_IN_CART = "购物车里没有「{name}」哦～回复「购物车」看看里面有什么。"
CART_CLEARED = "购物车已清空～想买什么随时发商品名，或回复「猜你喜欢」看看热销。"
QTY_CHANGED = "已把「{name}」改成 {qty} 件。"
SPEC_CHANGED = "已换成「{spec}」，数量 {qty}。"
WHICH_LINE = "要改购物车里的哪一个？回复「购物车」看看序号～"
BAD_QUANTITY = "数量要在 1～{max} 之间哦。"

# -- checkout, address form ------------------------------------------------------------
CHECKOUT_LINES_HEAD = "请确认订单："
CHECKOUT_LINE = "· {item} ×{qty}  {amount}"
BREAKDOWN_GOODS = "商品 {amount}"
BREAKDOWN_DISCOUNT = "优惠 -{amount}"
BREAKDOWN_POINTS = "积分抵扣 -{amount}"
BREAKDOWN_SHIPPING = "运费 {amount}"
BREAKDOWN_FREE_SHIPPING = "包邮"
BREAKDOWN_PAYABLE = "应付 {amount}"
ASK_CONSENT = "下单需要你的收货信息。\n" + PRIVACY_NOTICE + "\n同意请回复「同意」，不同意回复「取消」。"
CONSENT_REFUSED = "好的，不收集你的信息。需要下单时回复「结算」即可。"
ASK_NAME = "请发送收货人姓名（也可以一次发「姓名 手机号 地址」）："
ASK_PHONE = "请发送收货人手机号（11 位）："
BAD_PHONE = "手机号格式不对，请发送 11 位手机号，比如 13812345678。"
BAD_NAME = "姓名需要 1～20 个字，请重新发送收货人姓名。"
ASK_ADDRESS = "请发送详细收货地址（省市区+街道门牌），比如「浙江省杭州市西湖区文三路 100 号」："
BAD_ADDRESS = "没认出省份，请带上省份或直辖市重新发送，比如「浙江省杭州市西湖区文三路 100 号」。"
SHORT_ADDRESS = "地址太短了，请写到街道和门牌号。"
ADDRESS_SAVED = "收货信息已保存：{name} {phone}\n{address}\n下次结算会直接使用。"
SAVED_ADDRESS = "收货信息：{name} {phone}\n{address}"
ASK_ADDRESS_OK = "寄到这里吗？回复「确认」，或「修改」换地址。"
ASK_ORDER_OK = "回复「确认」提交订单，「修改地址」换地址，「取消」再想想。"
FORM_CANCELLED = "好的，已取消。购物车里的商品还在，随时回复「结算」。"
PAY_TITLE = "订单 {order_no} 待支付 {payable}"
PAY_DESC = "{lines}\n点击完成支付，{minutes} 分钟内未支付将自动取消。"
PAY_DESC_LINE = "{name}×{qty}"

# -- orders --------------------------------------------------------------------------
NO_ORDERS = "你还没有订单～发个商品名逛逛吧。"
ORDERS_HEAD = "你最近的订单："
ORDER_LINE = "{n}. {order_no} {status} {payable}\n   {summary}"
ORDERS_TAIL = "回复序号看详情，「取消第1个」取消待支付订单"
ORDER_DETAIL = "订单 {order_no}\n状态：{status}\n{lines}\n应付 {payable}"
ASK_ORDER_NO = "请发送订单号（SY 开头），或回复「我的订单」查看最近订单。"
ASK_CANCEL_OK = "确认取消订单 {order_no}（{payable}）吗？回复「确认」取消，「不了」保留。"
CANCELLED = "订单 {order_no} 已取消，库存和优惠已退回。"
CANCEL_KEPT = "好的，订单保留着～"
NOTHING_TO_CANCEL = "没有可以取消的待支付订单哦～已付款的订单想退，回复「申请退款」。"
NOT_CANCELLABLE = "订单 {order_no} {status}，不能直接取消；想退款请回复「申请退款」，其他问题回复「转人工」。"
CANCEL_REASON = "用户在对话中取消"
PAY_AGAIN = "去支付：{url}"
TRACKING = "物流：{carrier} {tracking_no}"
ORDER_STATUS: dict[str, str] = {
    "pending_payment": "待支付", "paid": "已支付", "confirmed": "待发货", "shipped": "已发货",
    "delivered": "已签收", "completed": "已完成", "cancelled": "已取消", "refunding": "退款中",
    "refunded": "已退款", "closed": "已关闭",
}
PAYMENT_CONFIRMED = "支付成功！订单 {order_no} 已付款 {paid}，我们会尽快发货，发货后通知你～\n回复「我的订单」随时查看。"

# -- errors ------------------------------------------------------------------------------
SYSTEM_BUSY = "抱歉，系统有点忙，请稍后再试～如需帮助请回复「转人工」。"
GENERIC_ERROR = "抱歉，这个操作没能完成，请稍后再试，或回复「转人工」。"
ERROR_TEXTS: dict[type[CommerceError], str] = {
    CommerceError: GENERIC_ERROR,
    NotFound: "没有找到对应的{what_cn}，请检查后再试。",
    InvalidInput: "输入有误，请检查后重新发送。",
    IllegalTransition: "当前状态下不能这样操作哦，回复「我的订单」看看订单状态。",
    ConsentRequired: "需要先征得你的同意才能保存收货信息，回复「结算」重新开始。",
    OutOfStock: "「{name}」库存不足，目前只剩 {available} 件，少买几件试试？",
    SkuUnavailable: "「{name}」已下架，看看别的吧～",
    PurchaseLimitExceeded: "「{name}」每人限购 {limit} 件，你还能买 {remaining} 件。",
    ProductOffShelf: "「{name}」已下架，看看别的吧～",
    EmptyCheckout: "购物车还是空的，先挑点商品吧～发商品名或回复「猜你喜欢」。",
    OrderNotPayable: "订单 {order_no} 现在不能支付了（{status_cn}），回复「我的订单」看看。",
}
WHAT_CN: dict[str, str] = {"order": "订单", "product": "商品", "sku": "商品规格", "customer": "用户",
                           "address": "地址", "category": "分类", "cart_line": "购物车商品"}


def register_error_text(error: type[CommerceError], text: str) -> None:
    """Map another subdomain's error to Chinese text (used where those errors are defined)."""
    ERROR_TEXTS[error] = text


def error_text(err: CommerceError) -> str:
    """The Chinese text for a domain error: the nearest class in ERROR_TEXTS, formatted with its data."""
    for cls in type(err).__mro__:
        template = ERROR_TEXTS.get(cls)  # type: ignore[call-overload]
        if template is None:
            continue
        fields: dict[str, Any] = {k: v for k, v in vars(err).items() if not k.startswith("_")}
        fields["what_cn"] = WHAT_CN.get(str(fields.get("what", "")), "内容")
        fields["status_cn"] = status_text(str(fields.get("status", "")))
        try:
            return template.format(**fields)
        except (KeyError, IndexError, ValueError, AttributeError):
            log.warning("error text for %s needs fields it lacks", type(err).__name__)
            return GENERIC_ERROR
    return GENERIC_ERROR


def payment_confirmed_text(order: Any) -> str:
    """Sent by siyu's OrderPaid subscriber (customer-service message).  Takes an OrderPaid event
    or an order view: anything with `order_no` and `paid_fen` (or `payable_fen`)."""
    paid_fen = getattr(order, "paid_fen", None)
    if paid_fen is None:
        paid_fen = getattr(order, "payable_fen", 0)
    return PAYMENT_CONFIRMED.format(order_no=order.order_no, paid=yuan(int(paid_fen)))


def status_text(status: str) -> str:
    return ORDER_STATUS.get(str(status), str(status))


# -- mobile product page (/p/{id}) ----------------------------------------------------------
PAGE_NOT_FOUND = "商品不存在或已下架"
PAGE_BACK_HINT = "回到公众号对话，回复「来一件」即可加入购物车。"
PAGE_PRICE = "价格"
PAGE_MEMBER_PRICE = "会员价"
PAGE_STOCK = "库存"
PAGE_SPECS = "规格"
PAGE_SOLD_OUT = "已售罄"
PAGE_ORIGINAL = "原价"


# == sharing: posters, promo copy, promo video (推广素材) — owned by the poster-delivery issue ==========
SHARE_POSTER_GENERATING = "海报生成中…稍等几秒，做好马上发给你～"
SHARE_SHOP_POSTER_GENERATING = "店铺海报生成中…稍等几秒，做好马上发给你～"
SHARE_EVENT_POSTER_GENERATING = "活动海报生成中…稍等几秒，做好马上发给你～"
SHARE_VIDEO_GENERATING = "推广视频生成中…大约需要十几秒，做好马上发给你～"
SHARE_DELAYED = "素材生成排队中，系统这会儿有点忙，恢复后会自动发给你，不用重复发送～"
SHARE_QUOTA_EXHAUSTED = (
    "受微信消息次数限制，现在没法再给你发图片或视频了😥 请稍后回复任意消息，再发「{again}」重新获取～"
)
SHARE_JOIN_FIRST = (
    "海报、文案和视频会带上你的专属推广码，好友通过它下单你才有佣金～\n"
    "先回复「成为推广员」加入（永久免费，不收任何费用），再来找我要吧。"
)
SHARE_UNAVAILABLE = "推广素材功能暂未开放，敬请期待～"
SHARE_WHICH_PRODUCT = "想要哪个商品的{what}？先发商品名找到它，再说「第1个的{what}」～"
SHARE_WHAT_COPY = "文案"
SHARE_WHAT_VIDEO = "推广视频"
SHARE_NOT_SHAREABLE = "这个商品暂时不能生成推广素材，换一个试试吧～"
SHARE_COPY_FORBIDDEN = "这个商品的介绍里有广告法禁用的说法（{words}），暂时不能生成文案，请联系商家修改～"
SHARE_COPY_HEAD = "【{tone}文案】长按复制，转发即可：\n\n{text}"
SHARE_AGAIN_POSTER = "海报"
SHARE_AGAIN_VIDEO = "要视频"
# sent after the shop poster, and the texts drawn on the event poster and the video message
SHARE_SHOP_COPY = "{shop}｜{slogan}\n长按识别图中二维码关注，直接在聊天里逛店下单～"
SHARE_EVENT_TITLE = "本周特惠"
SHARE_EVENT_SUBTITLE = "{shop} 精选好物 限时优惠"
SHARE_VIDEO_TITLE = "{name}"
SHARE_VIDEO_DESCRIPTION = "{price} 长按识别片尾二维码即可购买"
SHARE_VIDEO_END_CAPTION = "长按识别二维码 立即购买"


# == distribution (推广员) — owned by the distribution issue ================================
from commerce.distribution import errors as dist_errors  # noqa: E402

DIST_WELCOME = (
    "🎉 恭喜你成为{shop}推广员！你的推广码：{code}\n"
    "分享商品或你的专属二维码，好友通过它购买后你就能获得佣金。\n{rules}\n"
    "回复「推广码」获取二维码，「我的推广」看成绩，「培训」学习推广规则。"
)
DIST_APPLIED = "申请已提交，商家审核通过后会通知你～（成为推广员完全免费）"
DIST_ASK_FORM = "申请成为推广员（免费）：请发送你的「姓名 手机号」，例如：张三 13800138000"
DIST_BAD_FORM = "没看懂哦，请按「姓名 手机号」发送，例如：张三 13800138000；回复「取消」放弃申请。"
DIST_ASK_CONSENT = (
    "【个人信息保护提示】推广员申请需要你的姓名和手机号，仅用于审核和佣金结算联系，加密保存，"
    "不会用于其他目的，可随时申请删除。\n同意请回复「同意」，不同意回复「取消」。"
)
DIST_ASK_INVITE = "本店推广员需邀请加入，请发送商家给你的邀请码："
DIST_CANCELLED = "好的，已取消申请。想加入时回复「申请推广」即可～"
DIST_ALREADY = "你已经是推广员啦（推广码 {code}），回复「推广码」获取二维码。"
DIST_ALREADY_APPLIED = "你的申请正在审核中，请耐心等待～"
DIST_NOT_YET = "你还不是推广员哦～回复「我想做推广」免费加入。"
DIST_HOW_TO_JOIN = (
    "【怎么成为推广员】\n成为推广员完全免费：不交任何费用，不要求购物，也没有业绩门槛。\n"
    "加入后你会得到：专属推广码和二维码、可分享的商品链接和海报、推广培训，以及「我的推广」业绩统计；"
    "好友通过你分享的内容买到商品，你就能拿佣金。\n{rules}\n{join}"
)
DIST_JOIN_HOW = {
    "open": "想加入请回复「申请分销」或「成为推广员」，马上开通。",
    "review": "想加入请回复「申请分销」或「成为推广员」，填写姓名和手机号，商家审核通过后开通。",
    "invite": "本店推广员需商家邀请：回复「申请分销」或「成为推广员」，再发送商家给你的邀请码。",
}
DIST_RULES = (
    "【推广规则】\n· 成为推广员永远免费，不收任何费用，也不要求购物。\n"
    "· 好友通过你的二维码或分享链接购买商品后，你获得实付商品金额（不含运费）的 {rate} 佣金{level2}。\n"
    "· 佣金按实际支付金额计算、向下取整到分；退款会按比例扣回。\n"
    "· 确认收货 {freeze_days} 天后佣金解冻，结算后可提现（最低 {min}，每日上限 {cap}{fee}）。\n"
    "· 只按真实商品销售计佣，不按拉人头计酬。"
)
DIST_RULES_LEVEL2 = "；你推荐的推广员卖出商品，你获得 {rate}"
DIST_RULES_FEE = "，手续费 {fee}"
DIST_QR_CAPTION = "这是你的专属推广码（{code}），好友扫码关注即与你绑定～"
DIST_QR_UNAVAILABLE = "二维码生成失败，请稍后再试～你的推广码是 {code}。"
DIST_BALANCE = (
    "我的佣金：\n冻结中（售后期）{frozen}\n已解冻待结算 {available}\n可提现 {withdrawable}\n"
    "已提现 {withdrawn}\n回复「提现 100」或「全部提现」，「佣金明细」看记录。"
)
DIST_STATS = (
    "我的推广（推广码 {code}）：\n扫码/点击：今日 {today}｜本周 {week}｜本月 {month}\n"
    "绑定好友 {referrals} 人｜推广订单 {orders} 笔\n佣金：冻结 {frozen}｜待结算 {available}｜可提现 {withdrawable}"
)
DIST_TEAM = "我的团队：直推推广员 {members} 人，本月团队商品销售额 {sales}。{reward}"
DIST_TEAM_REWARD_ON = "团队奖励按月结算，只看商品销售，不看人数。"
DIST_ENTRIES_HEAD = "佣金明细（最近 {n} 条）："
DIST_ENTRY_LINE = "{date} {reason} {amount} {state}"
DIST_NO_ENTRIES = "还没有佣金记录～分享商品给好友试试吧！"
DIST_REASONS = {"commission": "订单佣金", "clawback": "退款扣回", "team_reward": "团队奖励",
                "withdrawal": "提现", "payout_reversal": "提现退回", "forfeit": "暂停扣除"}
DIST_STATES = {"pending": "冻结中", "available": "待结算", "settled": "已结算"}
DIST_WITHDRAW_ASK = "要提现多少？回复「提现 100」或「全部提现」。可提现 {withdrawable}。"
DIST_WITHDRAW_OK = "提现申请已提交：{amount}（手续费 {fee}，到账 {net}），单号 {no}。\n{next}"
DIST_WITHDRAW_WECHAT = "请留意微信「确认收款」提示，确认后转入零钱。"
DIST_WITHDRAW_SANDBOX = "演示环境：打开 {url} 确认收款。"
DIST_WITHDRAW_CONFIRM_PAGE = "请在微信里打开 {url} 点「确认收款」，确认后转入零钱。"
DIST_WITHDRAW_REVIEW = "金额较大，商家审核后为你转账。"
DIST_WITHDRAW_BANK = "将通过银行转账到你登记的银行卡，预计 1～3 个工作日到账。"
DIST_LESSON = "📘 第{n}课 {title}\n{text}{link}"
DIST_QUIZ_HEAD = "\n\n小测验（回复答案序号，如「{example}」）："
DIST_QUIZ_LINE = "{n}. {question} {options}"
DIST_QUIZ_PASSED = "全部答对 ✅ 本课完成！进度 {done}/{total}。回复「培训」继续下一课。"
DIST_QUIZ_FAILED = "答对 {correct}/{total} 题，再看看课程内容，重新回复答案试试～"
DIST_QUIZ_BAD = "请按题目顺序回复 {n} 个序号，例如「{example}」。"
DIST_TRAINING_DONE = "🎓 培训已全部完成（{total} 课）！回复「推广规则」随时复习。"
DIST_LESSON_READ = "\n\n读完了～进度 {done}/{total}，回复「培训」继续。"

# bank card payouts: bank details are sensitive personal information (PIPL art. 28/29) → separate consent
DIST_BANK_CONSENT = (
    "【银行卡信息单独同意】提现到银行卡需要收集：持卡人姓名、开户银行、银行卡号。\n"
    "· 用途：仅用于向你的银行卡转账支付佣金，不用于其他目的、不提供给第三方（转账银行除外）；\n"
    "· 保存：加密存储，页面只显示银行与卡号末四位；保存至你删除银行卡或注销推广员资格，"
    "有未完成的银行卡提现时保留到该笔完成；\n"
    "· 银行卡号属于敏感个人信息，你可随时回复「删除银行卡」删除、「修改银行卡」更换。\n"
    "同意请回复「同意」，不同意回复「不同意」（可改为提现到微信零钱）。"
)
DIST_BANK_REFUSED = "好的，未收集任何银行卡信息。可以回复「提现 100」提现到微信零钱～"
DIST_BANK_CANCELLED = "好的，已取消，银行卡信息未保存。"
DIST_BANK_ASK_HOLDER = "请发送持卡人姓名（须与推广员本人一致，例如：张三）。回复「取消」放弃。"
DIST_BANK_BAD_HOLDER = "持卡人姓名应为 2～20 个汉字或字母，例如：张三。请重新发送，回复「取消」放弃。"
DIST_BANK_ASK_BANK = "请发送开户银行，例如：工商银行、建设银行、招商银行。"
DIST_BANK_BAD_BANK = "没认出开户银行，请发送银行全称或简称，例如：工商银行 / 工行、农业银行 / 农行。"
DIST_BANK_ASK_CARD = "请发送银行卡号（12～19 位数字，可带空格）。"
DIST_BANK_CARD_NOT_DIGITS = "银行卡号只能包含数字（可带空格），请重新发送。"
DIST_BANK_CARD_LENGTH = "银行卡号应为 12～19 位数字，你发送的是 {n} 位，请核对后重新发送。"
DIST_BANK_CARD_CHECKSUM = "银行卡号校验未通过（可能有数字输错或顺序颠倒），请核对卡面后重新发送。"
DIST_BANK_SAVED = "✅ 银行卡已加密保存：{card}。"
DIST_BANK_SAVED_NEXT = "回复「提现 100 到银行卡」或「全部提现到银行卡」申请提现；「修改银行卡」「删除银行卡」随时可用。"
DIST_BANK_CARD = "{bank} 尾号 {last4}"
DIST_BANK_WITHDRAW_ASK = "要提现多少到 {card}？回复「提现 100 到银行卡」或「全部提现到银行卡」。可提现 {withdrawable}。"
DIST_BANK_WITHDRAW_TO = "到账银行卡：{card}。"
DIST_BANK_NONE = "你还没有登记银行卡。回复「提现到银行卡」登记并提现。"
DIST_BANK_DELETED = "已删除你登记的银行卡信息。之后提现到银行卡需要重新登记。"
DIST_BANK_SHOW = "你登记的银行卡：{card}。回复「修改银行卡」更换，「删除银行卡」删除。"

# WeChat change from ¥2,000: WeChat Pay checks the payee's real name (given to WeChat Pay → its own consent)
DIST_NAME_ASK = (
    "微信规定单笔到账 ≥ ¥2000 须核对收款人实名（这笔到账 {amount}）。\n"
    "【个人信息提示】你的姓名仅提供给微信支付用于核对本人收款，加密保存供下次大额提现使用，可随时回复「删除实名」删除。\n"
    "同意请直接发送与微信实名一致的姓名（例如：张三）；不同意回复「取消」（可改为提现 ¥2000 以下或提现到银行卡）。"
)
DIST_NAME_BAD = "姓名应为 2～20 个汉字或字母，并与微信实名一致，例如：张三。请重新发送，回复「取消」放弃。"
DIST_NAME_REFUSED = "好的，未保存你的姓名，本次没有提现。可以提现 ¥2000 以下的金额，或回复「提现到银行卡」。"
DIST_NAME_SAVED = "✅ 实名已加密保存（回复「删除实名」可删除）。\n"
DIST_NAME_DELETED = "已删除你保存的实名信息。之后提现满 ¥2000 到微信零钱时会再询问。"
DIST_NAME_NONE = "你没有保存过实名信息。"

# payout finished (customer-service message from the worker)
DIST_PAYOUT_PAID = "💰 提现已到账：{net} 已转入你的{method}（单号 {no}）。回复「我的佣金」查看余额。"
DIST_PAYOUT_FAILED = (
    "提现未成功：{amount}（{method}，单号 {no}）。\n原因：{reason}\n"
    "这笔钱已全部退回你的可提现余额，可以回复「我的佣金」查看，处理好后重新「提现」。"
)
DIST_PAYOUT_METHODS = {"wechat": "微信零钱", "bank": "银行卡"}
DIST_PAYOUT_CONFIRM = (
    "✅ 你的提现已审核通过：{net} 转入微信零钱（单号 {no}），需要你确认收款。\n"
    "请在 24 小时内确认，逾期未确认，款项会退回你的可提现余额。\n{next}"
)
DIST_REVIEW_APPROVED = "你的推广员申请已审核通过～\n"
DIST_REVIEW_REJECTED = (
    "很抱歉，你的推广员申请暂未通过{reason}。\n"
    "有疑问可以直接回复我们；之后也可以再次申请（回复「申请分销」），成为推广员始终免费。"
)
DIST_REVIEW_REASON = "，原因：{note}"
DIST_PAYOUT_FAIL_REASONS = {  # WeChat Pay transfer-bills fail_reason, and ours
    "ACCOUNT_FROZEN": "你的微信支付账户被冻结，暂时不能收款",
    "ACCOUNT_NOT_EXIST": "你的微信支付账户不存在或已注销",
    "REAL_NAME_CHECK_FAIL": "你的微信还没有实名认证，请先在微信「我-服务-钱包」完成实名",
    "NAME_NOT_CORRECT": "姓名与微信实名不一致，下次提现会请你重新填写",
    "OPENID_INVALID": "收款账户无效",
    "TRANSFER_QUOTA_EXCEED": "超出微信单笔转账限额",
    "DAY_RECEIVED_QUOTA_EXCEED": "超出你今天在微信的收款限额",
    "MONTH_RECEIVED_QUOTA_EXCEED": "超出你本月在微信的收款限额",
    "DAY_RECEIVED_COUNT_EXCEED": "超出你今天在微信的收款次数",
    "TRANSFER_RISK": "微信支付风控拦截了这笔转账",
    "USER_CANCELLED": "你没有确认收款（已取消）",
    "CANCELLED": "转账已撤销（超时未确认收款或被取消）",
    "OVERDUE_CLOSE": "超过 24 小时未确认收款，转账已关闭",
    "REAL_NAME_MISSING": "满 ¥2000 的提现需要实名，但你的实名信息已删除",
    "rejected by merchant": "商家未通过这笔提现",
}

for _error, _text in {
    dist_errors.DistributionDisabled: "本店暂未开放推广员功能～",
    dist_errors.NotADistributor: DIST_NOT_YET,
    dist_errors.DistributorSuspended: "你的推广员资格（{code}）已被商家暂停，暂停期间不产生新佣金；如有疑问请回复「转人工」。",
    dist_errors.AlreadyDistributor: "你已经是推广员或申请审核中啦（推广码 {code}）。",
    dist_errors.InvitationRequired: "邀请码无效或已用完，请向商家确认后重新发送「申请推广」。",
    dist_errors.ApplicationIncomplete: DIST_BAD_FORM,
    dist_errors.SelfReferral: "不能绑定自己的推广码哦～",
    dist_errors.ReferralCycle: "你们已经是推广关系啦，不能互相绑定～",
    dist_errors.UnknownReferralCode: "推广码 {code} 无效或已停用。",
    dist_errors.BelowMinimum: "提现金额低于最低提现金额，回复「我的佣金」看看～",
    dist_errors.InsufficientBalance: "可提现余额不足，回复「我的佣金」看看～",
    dist_errors.DailyCapExceeded: "超出今日提现上限，明天再来吧～",
    dist_errors.BankAccountRequired: "提现到银行卡需先登记银行卡，回复「提现到银行卡」开始登记～",
    dist_errors.BankAccountInUse: "银行卡提现 {payout_no} 还在处理中，需要这张卡收款，完成后才能删除～",
    dist_errors.TrainingRequired: "首次提现前请先完成基础培训（还差 {remaining} 课），回复「培训」开始学习～",
}.items():
    register_error_text(_error, _text)

DIST_MONEY_ERRORS: dict[type[CommerceError], str] = {
    dist_errors.BelowMinimum: "提现金额不能低于 {min_fen}，你这次申请的是 {amount_fen}。",
    dist_errors.InsufficientBalance: "可提现余额不足：可提现 {balance_fen}，你申请了 {amount_fen}。",
    dist_errors.DailyCapExceeded: "超出今日提现上限，今天最多还能提 {remaining_fen}。",
}


def dist_money_error_text(err: CommerceError) -> str:
    """Withdrawal refusals with their amounts shown in yuan."""
    template = DIST_MONEY_ERRORS.get(type(err))
    if template is None:
        return error_text(err)
    return template.format(**{k: yuan(v) for k, v in vars(err).items() if k.endswith("_fen")})

def confirm_step_text(url: str, *, sandbox: bool) -> str:
    """How to confirm a waiting transfer: the sandbox's page, our 确认收款 page, or WeChat's own prompt."""
    if not url:
        return DIST_WITHDRAW_WECHAT
    return (DIST_WITHDRAW_SANDBOX if sandbox else DIST_WITHDRAW_CONFIRM_PAGE).format(url=url)


def payout_confirm_text(payout: Any, confirm_url: str = "", *, sandbox: bool = True) -> str:
    """A transfer waiting for the distributor's confirmation (sent after a merchant approval): the same
    confirmation step as the withdrawal's chat reply (`confirm_step_text`)."""
    step = confirm_step_text(confirm_url, sandbox=sandbox)
    return DIST_PAYOUT_CONFIRM.format(net=yuan(payout.net_fen), no=payout.payout_no, next=step)


def distributor_rejected_text(note: str) -> str:
    reason = DIST_REVIEW_REASON.format(note=note.strip()) if note.strip() else ""
    return DIST_REVIEW_REJECTED.format(reason=reason)


def payout_finished_text(payout: Any) -> str:
    """A payout's end, for the distributor: what arrived where, or why not and that the money is back."""
    method = DIST_PAYOUT_METHODS.get(str(payout.method), str(payout.method))
    if str(payout.state) == "paid":
        return DIST_PAYOUT_PAID.format(net=yuan(payout.net_fen), method=method, no=payout.payout_no)
    reason = DIST_PAYOUT_FAIL_REASONS.get(payout.reason) or payout.reason or "转账失败"
    return DIST_PAYOUT_FAILED.format(amount=yuan(payout.amount_fen), method=method, no=payout.payout_no,
                                     reason=reason)


DIST_SCENE_NOTES = {
    "self": "（这是你自己的推广码哦，自己扫码不会绑定～）",
    "cycle": "（你们已是推广关系，不能互相绑定～）",
    "bound": "你是通过好友推荐来的，欢迎～",
}


# ---------------------------------------------------------------- merchant notices
LOW_STOCK = "【库存预警】{product}（{sku}）仅剩 {stock} 件，低于预警值 {threshold}。请补货：改好表格里的 stock 后用 siyu catalog import 重新导入即可（按编码更新）。"


def low_stock_text(product: str, sku: str, stock: int, threshold: int) -> str:
    return LOW_STOCK.format(product=product, sku=sku, stock=stock, threshold=threshold)


# == after-sale, logistics, member, personal data — owned by the after-sale issue ==========
# -- logistics (查物流)
TRACK_NONE = "你还没有已发货的订单哦～付款后我们会尽快发货，发货后回复「查物流」就能看到快递进度。"
TRACK_HEAD = "订单 {order_no}（{items}）\n{carrier} {tracking_no}｜{state}"
TRACK_LINE = "· {time} {context}"
TRACK_NO_LINES = "快递公司还没有更新轨迹，一般揽收后几小时内就有消息～"
TRACK_STALE = "（快递公司暂时查不到最新进度，以上是最近一次的记录）"
TRACK_LIST_HEAD = "你有 {n} 个包裹："
TRACK_LIST_LINE = "{n}. {order_no} {carrier}｜{state}\n   {items}"
TRACK_LIST_TAIL = "回复序号查看物流，比如「第二个」"
TRACK_NOT_SHIPPED = "订单 {order_no} {status}，还没有发货，发货后就能查物流啦～"
TRACK_UNKNOWN_NUMBER = "没找到快递单号 {tracking_no} 对应的订单，请核对一下，或回复「查物流」看看你的包裹。"
TRACKING_STATES: dict[str, str] = {
    "pending": "已发货，等待快递揽收", "collected": "已揽收", "in_transit": "运输中", "delivering": "派送中",
    "signed": "已签收", "problem": "快递异常（疑难件）", "returned": "已退回", "refused": "已拒收",
    "forwarded": "转投中", "customs": "清关中",
}
CARRIER_NAMES: dict[str, str] = {
    "yuantong": "圆通速递", "zhongtong": "中通快递", "shentong": "申通快递", "yunda": "韵达快递", "shunfeng": "顺丰速运",
    "jd": "京东快递", "ems": "EMS", "youzhengguonei": "邮政快递包裹", "jtexpress": "极兔速递", "debangkuaidi": "德邦快递",
}

# -- after-sale (退款/退货)
REFUND_NONE = "你没有可以申请售后的订单哦～有其他问题回复「转人工」。"
REFUND_PICK_HEAD = "要给哪个订单申请售后？"
REFUND_PICK_TAIL = "回复序号，比如「第一个」"
REFUND_WHAT_ALL = "全部商品"
REFUND_WHAT_LINES = "「{names}」"
ASK_REFUND_OK = (
    "订单 {order_no} 还没发货，{what}可以直接退款 {amount}，原路退回微信支付，通常 1～3 个工作日到账。\n"
    "确认退款请回复「确认」，不退了回复「不了」。"
)
ASK_RETURN_OK = (
    "订单 {order_no} {what}支持7天无理由退货{deadline}。\n"
    "提交后商家审核，通过后会告诉你退货地址；请保持商品完好，寄回运费由你承担，商家收到货后退款 {amount}。\n"
    "确认申请请回复「确认」，不退了回复「不了」。"
)
RETURN_DEADLINE = "（{date} 前可申请）"
REFUND_STARTED = "已为你申请退款 {amount}（售后单号 {id}），钱会原路退回，通常 1～3 个工作日到账～"
RETURN_REQUESTED = "退货申请已提交（售后单号 {id}），商家审核后会通知你退货地址，请耐心等待～"
AFTER_SALE_EXISTS = "订单 {order_no} 已有售后申请（单号 {id}，{status}），不用重复提交～"
AFTER_SALE_KEPT = "好的，订单保留着～还有问题随时找我。"
REFUND_BAD_LINE = "这个订单只有 {n} 件商品，请回复「第1个商品退款」这样的序号～"
REFUND_BY_HUMAN = "退款暂时需要人工处理，回复「转人工」客服马上帮你办理～"
REFUND_UNPAID = "订单 {order_no} 还没付款，不需要退款；不想要的话回复「取消订单」就行。"
REFUND_IN_PROGRESS = "订单 {order_no} {status}，已经在处理了，请耐心等待～"
REFUND_CLOSED = "订单 {order_no} {status}，没有需要退款的金额。"
RETURN_WINDOW_CLOSED = (
    "订单 {order_no} 签收已超过7天（{date} 截止），过了7天无理由退货期。\n"
    "如果商品有质量问题，回复「转人工」客服帮你处理。"
)
NOT_RETURNABLE = (
    "「{names}」不支持7天无理由退货（鲜活易腐、服务类等商品按规定不适用）。\n"
    "如果收到的商品有质量问题，回复「转人工」客服马上帮你处理；也可以只退其他商品，如「第1个商品退款」。"
)
AFTER_SALE_STATUS: dict[str, str] = {
    "requested": "待商家审核", "approved": "商家已同意", "awaiting_return": "待寄回商品", "received": "商家已收货",
    "refunding": "退款中", "refunded": "已退款", "refund_failed": "退款未成功，客服会尽快处理", "rejected": "未通过",
}
AFTER_SALE_UPDATE = "售后单 {id}（订单 {order_no}）：{status}{note}"
AFTER_SALE_UPDATE_NOTE = "\n说明：{note}"
AFTER_SALE_REASON = "用户在对话中申请"
ORDER_STATUS.update({"return_requested": "退货申请中", "returning": "退货中"})

# -- member, points, coupons
MEMBER_INFO_MEMBER = (
    "你是本店会员（等级 {level}）🎉\n会员权益：标有「会员价」的商品下单时自动按会员价结算，不用领券。\n"
    "看商品详情时留意「会员价」就行～"
)
MEMBER_INFO_NONE = (
    "你现在是普通顾客。会员购买标有「会员价」的商品时自动按会员价结算。\n"
    "想了解怎么成为会员，回复「转人工」问问客服～"
)
POINTS_INFO = "你的积分：0\n积分功能即将上线，上线后购物就能攒积分抵现，敬请期待～"
COUPONS_INFO = "你暂时没有可用的优惠券～\n可以留意店铺活动，或看看标有「会员价」的商品；有问题回复「转人工」。"

# -- personal data (我的信息 / 删除我的信息 / 撤回同意)
MY_DATA_HEAD = "你在本店保存的信息（已打码）："
MY_DATA_PHONE = "· 手机号：{phone}"
MY_DATA_NAME = "· 姓名：{name}"
MY_DATA_ADDRESS = "· 收货地址：{name} {phone} {address}"
MY_DATA_ORDERS = "· 订单 {n} 笔（收货信息随订单保存）"
MY_DATA_DISTRIBUTOR = "· 推广员资料：{name} {phone}{bank}"
MY_DATA_BANK = "，银行卡 {card}"
MY_DATA_CONSENT = "· 同意收集个人信息：{date}"
MY_DATA_TAIL = "回复「删除我的信息」可删除；需要完整副本请回复「转人工」。"
MY_DATA_EMPTY = "我们没有保存你的个人信息（收货信息只在下单时经你同意后才保存）。"
ASK_ERASE_OK = (
    "删除后将：\n· 删除保存的收货地址、手机号和姓名\n· 已结束订单的收货信息改为「已删除」（订单和账目按法律要求保留）\n"
    "· 推广员的姓名、手机号和银行卡信息一并删除\n进行中的订单会在结束后再删除收货信息。\n"
    "确认请回复「确认删除」，不删了回复「取消」。"
)
ASK_WITHDRAW_OK = (
    "撤回同意后，我们会删除你的个人信息（收货地址、手机号、姓名等，订单和账目按法律要求保留），"
    "下次下单时会重新征求你的同意。\n确认请回复「确认删除」，不撤回了回复「取消」。"
)
ERASE_CONFIRM_WORDS = ("确认删除", "确定删除", "确认撤回", "确定撤回")
ERASE_NEED_EXACT = "为防止误删，请回复「确认删除」；不删了回复「取消」。"
ERASED = "已删除你的个人信息：收货地址 {addresses} 个，订单收货信息 {orders} 笔。{kept}"
ERASED_KEPT = "还有 {n} 笔进行中的订单，结束后会自动删除收货信息。"
CONSENT_WITHDRAWN = "已撤回同意并删除你的个人信息。{kept}下次下单时会重新征求你的同意。"
ERASE_KEPT = "好的，你的信息保持不变～"


# ---------------------------------------------------------------- pre-sale shipping questions
SHIPPING_INFO = "运费：{first} 起，每多一件 +{extra}{free}。付款后一般 48 小时内发货，多数地区 2～4 天送达；发货后回复「查物流」随时看进度。"
SHIPPING_FREE = "，满 {free_over} 包邮"
SHIPPING_FREE_EXCEPT = "（{regions}除外）"
