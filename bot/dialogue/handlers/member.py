"""Member level, points and coupons: short, honest answers (there is no points or coupon ledger yet)."""

from __future__ import annotations

from bot import texts
from bot.dialogue.context import Msg, Turn
from bot.dialogue.router import router
from bot.dialogue.state import DialogState
from bot.messages import TextReply
from commerce.customers import services as customers


@router.intent("member_info")
@router.keyword("会员", "我的会员", "会员等级", "会员权益", "会员卡", "会员价", "我是会员吗")
def member_info(state: DialogState, msg: Msg) -> Turn:
    with msg.ctx.uow() as uow:
        customer = customers.get_or_create(uow, msg.openid)
        level = customer.member_level
        uow.commit()
    reply = texts.MEMBER_INFO_MEMBER.format(level=level) if level > 0 else texts.MEMBER_INFO_NONE
    return Turn(state.settled(), TextReply(reply))


@router.intent("points_query")
@router.keyword("积分", "我的积分", "查积分", "积分余额", "积分商城")
def points_query(state: DialogState, msg: Msg) -> Turn:
    return Turn(state.settled(), TextReply(texts.POINTS_INFO))


@router.intent("coupon_query")
@router.keyword("优惠券", "我的优惠券", "领券", "领优惠券", "有优惠券吗", "查优惠券")
def coupon_query(state: DialogState, msg: Msg) -> Turn:
    return Turn(state.settled(), TextReply(texts.COUPONS_INFO))
