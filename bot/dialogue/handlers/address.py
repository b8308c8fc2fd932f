"""The receiver form: consent first (privacy notice), then name → phone → address, or all three in
one message.  Saved encrypted, reused next time; the checkout confirmation follows."""

from __future__ import annotations

from dataclasses import replace

from bot import texts
from bot.dialogue import receiver as parse
from bot.dialogue.answers import CHANGE_RECEIVER, is_escape, is_no, is_yes
from bot.dialogue.context import Msg, Turn
from bot.dialogue.handlers.checkout import confirmation
from bot.dialogue.router import Route, keyword_key, router
from bot.dialogue.state import DialogState, Waiting
from bot.messages import TextReply
from commerce.customers import services as customers
from commerce.orders.errors import EmptyCheckout
from commerce.orders.views import mask_address
from commerce.privacy.crypto import mask_name, mask_phone


def escaped(state: DialogState, msg: Msg) -> Turn | None:
    """取消 ends the form; another command (帮助, 购物车…) leaves it and is answered normally."""
    if is_escape(msg):
        return Turn(replace(state.settled(), form={}), TextReply(texts.FORM_CANCELLED))
    return None


def is_command(msg: Msg) -> bool:
    return router.find(Route.KEYWORD, msg.text) is not None


def save_and_confirm(state: DialogState, msg: Msg, r: parse.Receiver) -> Turn:
    """Save the receiver; with goods in the cart, go straight on to the order confirmation."""
    with msg.ctx.uow() as uow:
        addr = customers.save_address(uow, msg.openid, receiver_name=r.name, phone=r.phone,
                                      province=r.province, detail=r.detail)
        try:
            turn = confirmation(uow, state, msg, addr)
        except EmptyCheckout:
            turn = Turn(replace(state.settled(), form={}), TextReply(texts.ADDRESS_SAVED.format(
                name=mask_name(r.name), phone=mask_phone(r.phone), address=mask_address(r.province, r.detail))))
        uow.commit()
    return turn


@router.keyword("修改地址", "改地址", "换地址", "收货地址", "我的地址", "新地址", "填地址")
def edit_address(state: DialogState, msg: Msg) -> Turn:
    with msg.ctx.uow() as uow:
        consented = customers.get_or_create(uow, msg.openid).consent_personal_data_at is not None
        uow.commit()
    if not consented:
        return Turn(state.ask(Waiting.CONSENT), TextReply(texts.ASK_CONSENT))
    return Turn(state.ask(Waiting.NAME), TextReply(texts.ASK_NAME))


@router.pending(Waiting.CONSENT)
def answer_consent(state: DialogState, msg: Msg) -> Turn | None:
    if is_no(msg):
        return Turn(replace(state.settled(), form={}), TextReply(texts.CONSENT_REFUSED))
    if not is_yes(msg):
        return None
    with msg.ctx.uow() as uow:
        customers.give_consent(uow, msg.openid)
        uow.commit()
    f = state.form
    if all(f.get(k) for k in ("name", "phone", "province", "detail")):  # sent before we asked: use it now
        r = parse.Receiver(name=f["name"], phone=f["phone"], province=f["province"], detail=f["detail"])
        return save_and_confirm(state, msg, r)
    return Turn(state.ask(Waiting.NAME), TextReply(texts.ASK_NAME))


@router.followup("receiver_words")
def receiver_words(state: DialogState, msg: Msg) -> Turn | None:
    """「张三 138… 浙江省…」 sent unasked (or after the form was left), and 「地址填错了」「换个收货地址」:
    the address form — consent first if it was never given."""
    if CHANGE_RECEIVER.match(keyword_key(msg.text)):
        return edit_address(state, msg)
    whole = parse.parse_one_line(msg.text)
    if whole is None:
        return None
    with msg.ctx.uow() as uow:
        consented = customers.get_or_create(uow, msg.openid).consent_personal_data_at is not None
        uow.commit()
    if consented:
        return save_and_confirm(state, msg, whole)
    form = {"name": whole.name, "phone": whole.phone, "province": whole.province, "detail": whole.detail}
    return Turn(replace(state, form=form).ask(Waiting.CONSENT), TextReply(texts.ASK_CONSENT))


@router.pending(Waiting.NAME)
def answer_name(state: DialogState, msg: Msg) -> Turn | None:
    if (turn := escaped(state, msg)) is not None or is_command(msg):
        return turn
    whole = parse.parse_one_line(msg.text)
    if whole is not None:
        return save_and_confirm(state, msg, whole)
    name = parse.valid_name(msg.text)
    if name is None:
        return Turn(state, TextReply(texts.BAD_NAME))
    return Turn(replace(state, form={"name": name}).ask(Waiting.PHONE), TextReply(texts.ASK_PHONE))


@router.pending(Waiting.PHONE)
def answer_phone(state: DialogState, msg: Msg) -> Turn | None:
    if (turn := escaped(state, msg)) is not None or is_command(msg):
        return turn
    phone = parse.find_phone(msg.text)
    if phone is None:
        return Turn(state, TextReply(texts.BAD_PHONE))
    return Turn(replace(state, form={**state.form, "phone": phone}).ask(Waiting.ADDRESS),
                TextReply(texts.ASK_ADDRESS))


@router.pending(Waiting.ADDRESS)
def answer_address(state: DialogState, msg: Msg) -> Turn | None:
    if (turn := escaped(state, msg)) is not None or is_command(msg):
        return turn
    detail = parse.clean_address(msg.text)
    if len(detail) < parse.MIN_ADDRESS_CHARS:
        return Turn(state, TextReply(texts.SHORT_ADDRESS))
    province = parse.find_province(detail)
    if province is None:
        return Turn(state, TextReply(texts.BAD_ADDRESS))
    if "name" not in state.form or "phone" not in state.form:
        return Turn(replace(state, form={}).ask(Waiting.NAME), TextReply(texts.ASK_NAME))
    r = parse.Receiver(name=state.form["name"], phone=state.form["phone"], province=province, detail=detail)
    return save_and_confirm(state, msg, r)
