"""My orders, order status by number or position, cancelling an unpaid order (with confirmation)."""

from __future__ import annotations

import re
from dataclasses import replace

from bot import texts
from bot.dialogue import render
from bot.dialogue.answers import is_no, is_yes
from bot.dialogue.context import Msg, Turn
from bot.dialogue.refs import pick
from bot.dialogue.router import router
from bot.dialogue.state import DialogState, Waiting
from bot.messages import TextReply
from commerce.orders import services as orders
from commerce.orders.states import OrderStatus
from commerce.orders.views import OrderView
from nlu.types import Parse

RECENT = 5
ASKS_FOR_PARCEL = re.compile(r"到哪|物流|快递|包裹|运到|送到哪|发到哪")


def summary(order: OrderView) -> str:
    names = "、".join(f"{line.name}×{line.quantity}" for line in order.lines[:3])
    return names + ("等" if len(order.lines) > 3 else "")


def order_no_of(state: DialogState, msg: Msg) -> str | None:
    """An order number in the text, or a position in the last order list (「第二个」)."""
    number = msg.nlu.value("order_no")
    if number:
        return str(number).upper()
    index = msg.nlu.value("index")
    if isinstance(index, int):
        return pick(state.orders, index)
    return None


@router.intent("my_orders")
@router.keyword("我的订单", "订单", "查订单", "全部订单", "訂單", "我的訂單", "订单详情", "订单状态", "查看订单", "看订单",
                "我买的东西", "买了啥", "我买了什么")
def my_orders(state: DialogState, msg: Msg) -> Turn:
    with msg.ctx.uow() as uow:
        recent = orders.list_orders(uow, msg.openid, limit=RECENT)
    if not recent:
        return Turn(state, TextReply(texts.NO_ORDERS))
    lines = [texts.ORDERS_HEAD]
    lines += [texts.ORDER_LINE.format(n=n, order_no=o.order_no, status=texts.status_text(o.status),
                                      payable=texts.yuan(o.payable_fen), summary=summary(o))
              for n, o in enumerate(recent, 1)]
    lines.append(texts.ORDERS_TAIL)
    new = replace(state, orders=tuple(o.order_no for o in recent)).ask(Waiting.PICK, list="orders")
    return Turn(new, TextReply("\n".join(lines)))


@router.intent("order_status", "track_logistics")
def order_status(state: DialogState, msg: Msg) -> Turn:
    order_no = order_no_of(state, msg)
    if order_no is None and ASKS_FOR_PARCEL.search(msg.text):  # 「订单到哪了」: where the parcel is
        from bot.dialogue.handlers.logistics import track  # late: logistics registers after this module

        return track(state, msg)
    if order_no is None:  # 「我的订单状态」: the only order, else the list to pick from
        with msg.ctx.reads() as uow:
            recent = orders.list_orders(uow, msg.openid, limit=2)
        if len(recent) != 1:
            return my_orders(state, msg)
        order_no = recent[0].order_no
    with msg.ctx.uow() as uow:
        order = orders.get_order(uow, order_no, openid=msg.openid)
    body = texts.ORDER_DETAIL.format(order_no=order.order_no, status=texts.status_text(order.status),
                                     lines=render.order_lines(order.lines), payable=texts.yuan(order.payable_fen))
    if order.status == OrderStatus.PENDING_PAYMENT:
        body += "\n" + texts.PAY_AGAIN.format(url=msg.ctx.url(f"pay/{order.order_no}"))
    elif order.tracking_no:
        carrier = texts.CARRIER_NAMES.get(order.carrier or "", order.carrier or "")
        body += "\n" + texts.TRACKING.format(carrier=carrier, tracking_no=order.tracking_no)
    return Turn(replace(state.settled(), orders=state.orders or (order.order_no,)), TextReply(body))


@router.intent("cancel_order")
def cancel(state: DialogState, msg: Msg) -> Turn:
    order_no = order_no_of(state, msg)
    with msg.ctx.uow() as uow:
        if order_no is None:
            unpaid = orders.list_orders(uow, msg.openid, limit=1, status=OrderStatus.PENDING_PAYMENT)
            order = unpaid[0] if unpaid else None
        else:
            order = orders.get_order(uow, order_no, openid=msg.openid)
    if order is None:
        return Turn(state.settled(), TextReply(texts.NOTHING_TO_CANCEL))
    if order.status != OrderStatus.PENDING_PAYMENT:
        why = texts.NOT_CANCELLABLE.format(order_no=order.order_no, status=texts.status_text(order.status))
        return Turn(state.settled(), TextReply(why))
    ask = texts.ASK_CANCEL_OK.format(order_no=order.order_no, payable=texts.yuan(order.payable_fen))
    return Turn(state.ask(Waiting.CANCEL_OK, order_no=order.order_no), TextReply(ask))


@router.pending(Waiting.CANCEL_OK)
def answer_cancel(state: DialogState, msg: Msg) -> Turn | None:
    assert state.pending is not None
    if is_no(msg):
        return Turn(state.settled(), TextReply(texts.CANCEL_KEPT))
    if not is_yes(msg):
        return None
    order_no = str(state.pending.data["order_no"])
    with msg.ctx.uow() as uow:
        orders.cancel_order(uow, order_no, openid=msg.openid, reason=texts.CANCEL_REASON)
        uow.commit()
    return Turn(state.settled(), TextReply(texts.CANCELLED.format(order_no=order_no)))


DROP_IT = frozenset(("我不要了", "不要了", "不买了", "我不买了", "算了不要了", "不想买了", "取消", "取消吧", "我要取消"))


@router.followup("drop_unpaid_order")
def drop_unpaid_order(state: DialogState, msg: Msg) -> Turn | None:
    """「我不要了」「取消」 with no question pending, right after ordering: offer to cancel the
    unpaid order (asks 确认 first) instead of a cheerful 'OK!'."""
    if msg.text.strip(" 。!！~～") not in DROP_IT:
        return None
    with msg.ctx.reads() as uow:
        unpaid = orders.list_orders(uow, msg.openid, limit=1, status=OrderStatus.PENDING_PAYMENT)
    return cancel(state, msg.with_parse(Parse(text=msg.text, intent="cancel_order", confidence=1.0))) if unpaid else None
