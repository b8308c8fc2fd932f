"""Parcel tracking: 我的快递到哪了 / 查物流 / 物流 SY2026… / a tracking number → the latest three
courier lines and the state; several parcels → a numbered list (「第二个」 picks one)."""

from __future__ import annotations

import re
from dataclasses import replace

from bot import texts
from bot.dialogue.context import Msg, Turn
from bot.dialogue.handlers.aftersale import ports
from bot.dialogue.refs import bare_ordinal, pick
from bot.dialogue.router import router
from bot.dialogue.state import DialogState, Waiting
from bot.messages import TextReply
from commerce.logistics import services as logistics
from commerce.logistics.errors import NotShipped, ShipmentNotFound
from commerce.logistics.port import CourierTracker, CourierUnavailable, Tracking
from commerce.logistics.services import ShipmentView

SHOWN_LINES = 3
LISTED = 5
ORDER_NO = re.compile(r"SY\s?\d{6,20}", re.I)
TRACKING_NO = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{0,4}\d{8,20})(?![A-Za-z0-9])")
ASKS_FOR_PARCEL = re.compile(r"物流|快递|包裹|单号|到哪")


class _Offline:
    """No courier wired (tests, a misconfigured process): show what the pushes told us."""

    def query(self, carrier: str, tracking_no: str, phone: str = "") -> Tracking:
        raise CourierUnavailable("no courier configured")


def _tracker() -> CourierTracker:
    return ports().courier or _Offline()  # type: ignore[return-value]


def tracking_text(view: ShipmentView) -> str:
    t = view.tracking
    head = texts.TRACK_HEAD.format(order_no=view.order_no, items="、".join(view.item_names[:2]),
                                   carrier=texts.CARRIER_NAMES.get(view.carrier, view.carrier),
                                   tracking_no=view.tracking_no, state=texts.TRACKING_STATES.get(t.state, t.state))
    lines = [texts.TRACK_LINE.format(time=e.time[5:16], context=e.context) for e in t.events[:SHOWN_LINES]]
    body = [head, *(lines or [texts.TRACK_NO_LINES])]
    if view.stale:
        body.append(texts.TRACK_STALE)
    return "\n".join(body)


def show(state: DialogState, msg: Msg, order_no: str) -> Turn:
    with msg.ctx.uow() as uow:
        view = logistics.refresh_tracking(uow, _tracker(), order_no, openid=msg.openid)
        uow.commit()
    return Turn(replace(state.settled(), orders=state.orders or (order_no,)), TextReply(tracking_text(view)))


def _listing(state: DialogState, msg: Msg, order_nos: list[str]) -> Turn:
    lines = [texts.TRACK_LIST_HEAD.format(n=len(order_nos))]
    with msg.ctx.uow() as uow:
        views = [logistics.known_tracking(uow, no, openid=msg.openid) for no in order_nos]
        uow.commit()
    lines += [texts.TRACK_LIST_LINE.format(
        n=n, order_no=v.order_no, carrier=texts.CARRIER_NAMES.get(v.carrier, v.carrier),
        state=texts.TRACKING_STATES.get(v.tracking.state, ""), items="、".join(v.item_names[:2]))
        for n, v in enumerate(views, 1)]
    lines.append(texts.TRACK_LIST_TAIL)
    new = replace(state, orders=tuple(order_nos)).ask(Waiting.TRACK_PICK)
    return Turn(new, TextReply("\n".join(lines)))


def _named_order(msg: Msg) -> str | None:
    found = ORDER_NO.search(msg.text)
    number = msg.nlu.value("order_no") or (found.group() if found else None)
    return str(number).replace(" ", "").upper() if number else None


@router.intent("track_logistics")
@router.keyword("查物流", "物流", "查快递", "快递", "我的快递", "我的快递到哪了", "快递到哪了", "物流到哪了",
                "包裹到哪了", "物流信息", "看物流", "查看物流")
def track(state: DialogState, msg: Msg) -> Turn:
    order_no = _named_order(msg)
    tracking_no, index = msg.nlu.value("tracking_no"), msg.nlu.value("index")
    if order_no is None and tracking_no:
        return by_tracking_no(state, msg, str(tracking_no))
    if order_no is None and isinstance(index, int) and state.orders:
        order_no = pick(state.orders, index)
    if order_no is not None:
        return _safe_show(state, msg, order_no)
    with msg.ctx.uow() as uow:
        parcels = logistics.shipped_orders(uow, msg.openid, limit=LISTED)
    if not parcels:
        return Turn(state.settled(), TextReply(texts.TRACK_NONE))
    if len(parcels) == 1:
        return show(state, msg, parcels[0])
    return _listing(state, msg, parcels)


def _safe_show(state: DialogState, msg: Msg, order_no: str) -> Turn:
    try:
        return show(state, msg, order_no)
    except NotShipped as err:
        reply = texts.TRACK_NOT_SHIPPED.format(order_no=err.order_no, status=texts.status_text(err.status))
        return Turn(state.settled(), TextReply(reply))


def by_tracking_no(state: DialogState, msg: Msg, tracking_no: str) -> Turn:
    try:
        with msg.ctx.uow() as uow:
            order_no = logistics.order_of_tracking_no(uow, msg.openid, tracking_no)
    except ShipmentNotFound:
        return Turn(state.settled(), TextReply(texts.TRACK_UNKNOWN_NUMBER.format(tracking_no=tracking_no)))
    return show(state, msg, order_no)


@router.pending(Waiting.TRACK_PICK)
def pick_parcel(state: DialogState, msg: Msg) -> Turn | None:
    index = bare_ordinal(msg.text)
    order_no = pick(state.orders, index) if index is not None else None
    return _safe_show(state, msg, order_no) if order_no else None


@router.followup("track_by_number")
def track_by_number(state: DialogState, msg: Msg) -> Turn | None:
    """「物流 SY2026…」「快递单号 YT123…」, or a bare tracking number of one of the user's parcels."""
    text = msg.text.strip()
    order = ORDER_NO.search(text)
    if order and ASKS_FOR_PARCEL.search(text):
        return _safe_show(state, msg, order.group().replace(" ", "").upper())
    number = TRACKING_NO.fullmatch(text) or (TRACKING_NO.search(text) if ASKS_FOR_PARCEL.search(text) else None)
    if number is None or (order and not ASKS_FOR_PARCEL.search(text)):
        return None
    with msg.ctx.uow() as uow:
        try:
            order_no = logistics.order_of_tracking_no(uow, msg.openid, number.group(1))
        except ShipmentNotFound:
            return None  # a phone number, a product code…: not ours to answer
    return show(state, msg, order_no)
