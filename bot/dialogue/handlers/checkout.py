"""Checkout: confirm lines, receiver and price breakdown in one message, then place the order and
send the pay link.  No saved receiver → the address form (`address.py`) runs first."""

from __future__ import annotations

import uuid
from dataclasses import replace

from bot import texts
from bot.dialogue import render
from bot.dialogue.answers import is_change, is_no, is_yes
from bot.dialogue.context import Msg, Turn
from bot.dialogue.receiver import parse_one_line
from bot.dialogue.router import keyword_key, router
from bot.dialogue.state import DialogState, Waiting
from bot.messages import NewsReply, TextReply
from commerce.catalog import services as catalog
from commerce.customers import services as customers
from commerce.customers.model import Address
from commerce.db import UnitOfWork
from commerce.errors import CommerceError
from commerce.orders import policy
from commerce.orders import services as orders
from commerce.orders.errors import EmptyCheckout
from commerce.orders.views import OrderView, mask_address
from commerce.privacy.crypto import mask_name, mask_phone


def receiver_text(addr: Address) -> str:
    return texts.SAVED_ADDRESS.format(name=mask_name(addr.receiver_name), phone=mask_phone(addr.phone),
                                      address=mask_address(addr.province, addr.detail))


def confirmation(uow: UnitOfWork, state: DialogState, msg: Msg, addr: Address) -> Turn:
    """Lines + breakdown (shipping to the receiver's province) + receiver; waits for 确认."""
    preview = orders.preview_checkout(uow, msg.openid, province=addr.province)
    body = "\n".join([texts.CHECKOUT_LINES_HEAD, render.order_lines(preview.lines), render.breakdown(preview),
                      receiver_text(addr), texts.ASK_ORDER_OK])
    key = f"dlg-{uuid.uuid4().hex[:20]}"
    asked = replace(state, form={}).ask(Waiting.ORDER_OK, address_id=addr.id, key=key)
    return Turn(asked, TextReply(body))


@router.intent("checkout")
@router.keyword("结算", "去结算", "下单", "买单", "结账", "付款", "去付款", "立即购买", "結算")
def checkout(state: DialogState, msg: Msg) -> Turn:
    try:
        return _checkout(state, msg)
    except EmptyCheckout:
        nudge = _nudge_to_focus(state, msg)  # 「来两件」→ which spec? → 「结算」: the product is not in the cart yet
        if nudge is None:
            raise
        return nudge


def _nudge_to_focus(state: DialogState, msg: Msg) -> Turn | None:
    if state.focus is None:
        return None
    try:
        with msg.ctx.reads() as uow:
            item = catalog.product_outline(uow, state.focus)
    except CommerceError:
        return None
    specs = "」或「".join(s.spec_text for s in item.skus[:4] if s.spec_text)
    how = texts.EMPTY_CHECKOUT_SPECS.format(specs=specs) if len(item.skus) > 1 and specs else texts.EMPTY_CHECKOUT_ONE
    return Turn(state, TextReply(texts.EMPTY_CHECKOUT_FOCUS.format(name=item.name, how=how)))


def _checkout(state: DialogState, msg: Msg) -> Turn:
    with msg.ctx.uow() as uow:
        customer = customers.get_or_create(uow, msg.openid)
        addr = customers.default_address(uow, msg.openid)
        if addr is not None:
            turn = confirmation(uow, state, msg, addr)
        else:
            preview = orders.preview_checkout(uow, msg.openid)  # raises EmptyCheckout on an empty cart
            lines = texts.CHECKOUT_LINES_HEAD + "\n" + render.order_lines(preview.lines)
            if customer.consent_personal_data_at is None:
                turn = Turn(state.ask(Waiting.CONSENT), TextReply(lines + "\n\n" + texts.ASK_CONSENT))
            else:
                turn = Turn(state.ask(Waiting.NAME), TextReply(lines + "\n\n" + texts.ASK_NAME))
        uow.commit()
    return turn


def pay_link(msg: Msg, order: OrderView) -> NewsReply:
    lines = "、".join(texts.PAY_DESC_LINE.format(name=line.name, qty=line.quantity) for line in order.lines)
    minutes = int(policy.current().payment_timeout.total_seconds() // 60)
    return NewsReply(
        title=texts.PAY_TITLE.format(order_no=order.order_no, payable=texts.yuan(order.payable_fen)),
        description=texts.PAY_DESC.format(lines=lines, minutes=minutes),
        url=msg.ctx.url(f"pay/{order.order_no}"),
    )


PLACE_ORDER = frozenset(map(keyword_key, (
    "提交", "提交订单", "确认订单", "确认下单", "下单", "下单吧", "去下单", "付款", "去付款", "支付", "去支付", "买单",
    "结算", "就这样下单", "没问题下单", "确认无误", "没错", "对的下单")))


@router.pending(Waiting.ORDER_OK)
def answer_order(state: DialogState, msg: Msg) -> Turn | None:
    assert state.pending is not None
    data = state.pending.data
    if is_change(msg):
        return Turn(state.ask(Waiting.NAME), TextReply(texts.ASK_NAME))
    if is_no(msg):
        return Turn(state.settled(), TextReply(texts.FORM_CANCELLED))
    receiver = parse_one_line(msg.text)
    if receiver is not None:  # 「王五 137… 广东省…」 instead of 确认: a new receiver, confirmed again
        from bot.dialogue.handlers.address import save_and_confirm  # late: address imports this module

        return save_and_confirm(state, msg, receiver)
    if not (is_yes(msg) or keyword_key(msg.text) in PLACE_ORDER):
        return None
    with msg.ctx.uow() as uow:
        order = orders.place_order(uow, msg.openid, address_id=int(data["address_id"]),
                                   idempotency_key=str(data["key"]))
        uow.commit()
    new = replace(state.settled(), orders=(order.order_no,), cart=())
    return Turn(new, pay_link(msg, order))
