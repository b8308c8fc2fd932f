"""Questions a shopper asks before buying, about the product in focus or the shop:
「这个能退吗」「支持七天无理由吗」「能开发票吗」「可以寄给我妈吗」「你是机器人吗」.

Registered before the after-sale rules (see `handlers/__init__.py`): 「能退吗」 about a product
being looked at is a policy question, not a refund request."""

from __future__ import annotations

import re

from bot import texts
from bot.dialogue.context import Msg, Turn
from bot.dialogue.router import router
from bot.dialogue.state import DialogState
from bot.messages import TextReply
from commerce.catalog import services as catalog

CAN_RETURN = re.compile(
    r"(?:能|可以|可不可以|能不能|支持|支不支持|包|给不给|让不让|允许)\s*(?:退|换|无理由)"
    r"|[七7]\s*天(?:无理由|内?(?:能|可以)?退)|无理由退|退换货?(?:政策|规则|吗|么)|怎么退换|售后政策|退货政策"
)
ABOUT_MY_ORDER = re.compile(r"SY\s?\d{6}|订单|我买的|买了的|已经买|收到的|收到了|到货|签收|我要退|申请|帮我退|退款|坏了|烂了|破损|质量")
SHOP_POLICY = re.compile(r"[七7]\s*天|无理由|政策|规则|你们|店里|商品")


@router.followup("return_policy")
def return_policy(state: DialogState, msg: Msg) -> Turn | None:
    """「这个能退吗」「脐橙支持七天无理由吗」: the product's 7-day no-reason return rule; without a
    product in view, the shop's rule (or, for 「能退吗」 after buying, the refund flow)."""
    if not CAN_RETURN.search(msg.plain) or ABOUT_MY_ORDER.search(msg.plain):
        return None
    from bot.dialogue.handlers.aftersale import ports, refund_request  # late: registered after this rule

    days = ports().after_sale_days
    name = msg.nlu.value("product")
    with msg.ctx.reads() as uow:
        if name:
            found = catalog.search_products(uow, str(name), limit=1)
            product_id = found[0].id if found else None
        else:
            product_id = state.focus if state.focus is not None else (
                state.products[0] if len(state.products) == 1 else None)
        product = catalog.product_detail(uow, product_id) if product_id is not None else None
    if product is None:
        if not SHOP_POLICY.search(msg.plain):
            return refund_request(state, msg)  # 「这个能退吗」 with nothing shown: probably what they bought
        return Turn(state, TextReply(texts.RETURN_POLICY_GENERAL.format(days=days)))
    template = texts.RETURN_POLICY_OK if product.no_reason_return else texts.RETURN_POLICY_NO
    return Turn(state, TextReply(template.format(name=product.name, days=days)))


INVOICE = re.compile(r"发票|开票|票据|报销")


@router.followup("invoice")
def invoice(state: DialogState, msg: Msg) -> Turn | None:
    """「能开发票吗」: how invoices are issued (by customer service, after payment)."""
    if not INVOICE.search(msg.plain):
        return None
    return Turn(state, TextReply(texts.INVOICE_INFO))


SEND_TO_OTHERS = re.compile(
    r"(?:寄|送|发|邮)(?:到|给|去)?(?:我|我的|我们)?(?:别人|朋友|家人|亲戚|同事|对方|爸|妈|父母|老人|老家|外地|其他地址|另一个地址|别的地址|不同地址)"
    r"|送人|送礼|代收|帮(?:别人|朋友|家人)买|收货人(?:不是|可以是)"
)


BUYING = re.compile(r"来|要|买|加|拍|下单|什么好|推荐|选什么|送什么")
ASKING = re.compile(r"吗|么|嘛|能不能|可不可以|可以|能|行不行|[?？]|怎么")


@router.followup("send_as_gift")
def send_as_gift(state: DialogState, msg: Msg) -> Turn | None:
    """「能不能寄到别人家」「可以送人吗」: yes — the receiver is whoever is filled in at checkout.
    「想买点橙子送人」 names goods: that is a search, not this question."""
    if not SEND_TO_OTHERS.search(msg.plain) or msg.nlu.value("product") or msg.nlu.value("category"):
        return None
    if BUYING.search(msg.plain) or not ASKING.search(msg.plain):
        return None  # 「来两瓶 送人」 is an order; 「送爸妈买什么好」 asks for ideas
    return Turn(state, TextReply(texts.GIFT_ADDRESS))


ARE_YOU_A_BOT = re.compile(r"^(?:你|您)是(?:不是)?(?:机器人|真人|人工|ai|AI|人|谁)(?:吗|嘛|么|啊|呀)?[?？]?$|^是真人吗[?？]?$")


@router.followup("bot_identity")
def bot_identity(state: DialogState, msg: Msg) -> Turn | None:
    if not ARE_YOU_A_BOT.match(msg.plain):
        return None
    return Turn(state, TextReply(texts.BOT_IDENTITY.format(shop=msg.ctx.shop_name)))


SUITABLE = re.compile(
    r"^(?:这个|这款|这件|它|这)?(?P<who>[\u4e00-\u9fffA-Za-z]{1,6}?)(?:也|都|可以|能不能|可不可以|能)?"
    r"(?:用|吃|喝|穿|戴|练|上)(?:吗|么|嘛|不|得了吗|的吗)?[?？]?$"
    r"|^(?:这个|这款|它)?(?:适合|适不适合|适用)(?P<who2>[\u4e00-\u9fffA-Za-z0-9]{1,8}?)(?:吗|么|嘛|不|用|吃)?[?？]?$"
)
NOT_WHO = frozenset({"", "怎么", "如何", "咋", "好", "好不好", "能", "可以", "什么", "多久", "几次", "这么", "耐", "实", "够",
                     "积分", "优惠券", "券", "红包", "余额", "花呗", "信用卡", "微信", "支付宝", "会员", "会员价"})
VAGUE = re.compile(r"几个?月|几岁|多大的?|什么样的?|哪种|的$")


@router.followup("suitability")
def suitability(state: DialogState, msg: Msg) -> Turn | None:
    """「这个油皮能用吗」「孕妇可以吃吗」「适合敏感肌吗」 about the product in focus: what its own
    description says about that, or an honest 'not stated' with the way to ask a person."""
    if state.focus is None or msg.nlu.value("product"):
        return None
    m = SUITABLE.match(msg.plain.strip())
    who = (m.group("who") or m.group("who2") or "") if m else ""
    who = VAGUE.sub("", who.removesuffix("能").removesuffix("可以"))  # 「适合几个月宝宝」 → 宝宝
    if not m or who in NOT_WHO:
        return None
    with msg.ctx.reads() as uow:
        product = catalog.product_detail(uow, state.focus)
    said = [line for line in (product.subtitle, *product.selling_points, *re.split(r"[。；;\n]", product.description))
            if line and who in line]
    if said:
        return Turn(state, TextReply(texts.SUITABLE_SAID.format(name=product.name, said="；".join(said[:2]))))
    return Turn(state, TextReply(texts.SUITABLE_UNKNOWN.format(name=product.name, who=who)))


USAGE = re.compile(r"怎么(?:吃|用|喝|服用|使用|冲|泡|穿|洗)|如何(?:使用|食用|服用)|用法|用量|食用方法|使用方法|"
                   r"一天.{0,3}几|每天.{0,3}几|吃几[粒片颗次]|用几次|多久用完")


@router.followup("usage")
def usage(state: DialogState, msg: Msg) -> Turn | None:
    """「钙片怎么吃」「一天吃几粒」 about the product in view: its own description, or an honest
    'not stated' (转人工) — never a guess about dosage."""
    if state.focus is None or not USAGE.search(msg.plain):
        return None
    with msg.ctx.reads() as uow:
        product = catalog.product_detail(uow, state.focus)
    if product.description:
        return Turn(state, TextReply(texts.USAGE_SAID.format(name=product.name, description=product.description)))
    return Turn(state, TextReply(texts.USAGE_UNKNOWN.format(name=product.name)))


PAY_TROUBLE = re.compile(r"付款失败|支付失败|付不了|付不上|付不成|支付不了|扣了钱|扣款了|重复扣|扣了两次|付了.{0,8}(?:没付|未付|待支付|没到账)"
                         r"|钱付了|已经付了")
PAY_METHOD = re.compile(r"货到付款|到付|花呗|信用卡|支付宝|分期|怎么付款|怎么支付|如何付款|如何支付|用什么付|付款方式|支付方式"
                        r"|能(?:不能)?用.{0,4}(?:付|支付)")


@router.followup("payment_question")
def payment_question(state: DialogState, msg: Msg) -> Turn | None:
    """「可以货到付款吗」「支持花呗吗」「怎么付款」: how paying works here; 「付款失败了」「钱付了还显示
    待支付」: what to do (the order list re-opens the pay link; a person checks double charges)."""
    if PAY_TROUBLE.search(msg.plain):
        return Turn(state, TextReply(texts.PAY_TROUBLE))
    if PAY_METHOD.search(msg.plain):
        return Turn(state, TextReply(texts.PAY_METHODS))
    return None
