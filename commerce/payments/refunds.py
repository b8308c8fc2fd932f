"""Refunds: request at the provider, apply its (verified) notification.

A refund of everything still paid is a *full* refund: the order moves to
`refunding`, then `refunded` on success, or back to its previous status if the
provider closes the refund.  Smaller amounts are partial refunds and leave the
order status alone.  `lines` says how much goods money each order line gets back
(default: spread over the lines' remaining paid amounts); it drives commission
claw-back through `OrderRefunded.lines`.  `quantities` says how many units of each
line are refunded (a full refund: all of them; a partial one without quantities
refunds money only, e.g. a price adjustment).  When the refund succeeds those units
stop counting against the buyer's purchase limits and, if the order has not been
shipped, go back to stock — once (`lifecycle.give_back`; replayed notifications are
no-ops).  Services flush; the caller commits.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from commerce import events
from commerce.clock import now
from commerce.db import UnitOfWork
from commerce.errors import InvalidInput
from commerce.money import allocate
from commerce.orders.lifecycle import give_back, load_order, move
from commerce.orders.model import Order
from commerce.orders.states import NOT_SHIPPED, PAID_STATES, OrderStatus
from commerce.payments.errors import PaymentAmountMismatch, RefundNotAllowed, RefundNotFound
from commerce.payments.model import Refund, RefundStatus
from commerce.payments.port import REFUND_SUCCESS, PaymentGateway, RefundNotification

log = logging.getLogger("commerce.payments")


@dataclass(frozen=True)
class RefundView:
    refund_no: str
    order_no: str
    amount_fen: int
    status: RefundStatus
    reason: str
    full: bool
    lines: tuple[tuple[int, int], ...]  # (order line id, goods fen)


def refund_view(r: Refund) -> RefundView:
    lines = tuple(sorted((int(k), int(v)) for k, v in r.lines.items()))
    return RefundView(r.refund_no, r.order_no, r.amount_fen, RefundStatus(r.status), r.reason, r.full, lines)


@dataclass(frozen=True)
class _InFlight:
    """What refunds still processing at the provider hold of an order: they count as refunded
    when the next refund is checked, so two refunds in flight never cover the same fen or unit."""

    fen: int
    line_fen: dict[int, int]
    units: dict[int, int]


def _in_flight(uow: UnitOfWork, order_id: int) -> _InFlight:
    fen, line_fen, units = 0, Counter[int](), Counter[int]()
    for refund in uow.session.scalars(
            select(Refund).where(Refund.order_id == order_id, Refund.status == RefundStatus.PROCESSING.value)):
        fen += refund.amount_fen
        line_fen.update({int(k): int(v) for k, v in (refund.lines or {}).items()})
        units.update({int(k): int(v) for k, v in (refund.quantities or {}).items()})
    return _InFlight(fen, dict(line_fen), dict(units))


def _line_split(order: Order, amount_fen: int, lines: dict[int, int] | None, held: _InFlight) -> dict[int, int]:
    remaining = {ln.id: ln.paid_fen - ln.refunded_fen - held.line_fen.get(ln.id, 0) for ln in order.lines}
    if lines is None:
        goods = min(amount_fen, sum(remaining.values()))
        ids = list(remaining)
        return dict(zip(ids, allocate(goods, [remaining[i] for i in ids]), strict=True))
    for line_id, fen in lines.items():
        if line_id not in remaining or fen < 0 or fen > remaining[line_id]:
            raise InvalidInput("lines", f"line {line_id}: 0..{remaining.get(line_id, 0)} fen")
    if sum(lines.values()) > amount_fen:
        raise InvalidInput("lines", "line amounts exceed the refund amount")
    return dict(lines)


def _units(order: Order, quantities: dict[int, int] | None, held: _InFlight) -> dict[int, int]:
    """Checked {line id: units}: at most the units of each line not refunded (or being refunded) yet."""
    left = {ln.id: ln.quantity - ln.refunded_qty - held.units.get(ln.id, 0) for ln in order.lines}
    for line_id, n in (quantities or {}).items():
        if line_id not in left or not isinstance(n, int) or n < 0 or n > left[line_id]:
            raise InvalidInput("quantities", f"line {line_id}: 0..{left.get(line_id, 0)} units")
    return {line_id: n for line_id, n in (quantities or {}).items() if n > 0}


def _refund_no(uow: UnitOfWork, order: Order) -> str:
    n = uow.session.scalar(select(func.count()).select_from(Refund).where(Refund.order_id == order.id)) or 0
    return f"RF{order.order_no[2:]}{n + 1:02d}"


def request_refund(
    uow: UnitOfWork, gateway: PaymentGateway, order_no: str, *, amount_fen: int, reason: str,
    lines: dict[int, int] | None = None, quantities: dict[int, int] | None = None,
) -> RefundView:
    """Ask the provider to refund `amount_fen` of a paid order (`quantities`: units per line id)."""
    order = load_order(uow, order_no, lock=True)
    if OrderStatus(order.status) not in PAID_STATES:
        raise RefundNotAllowed(order_no, f"order is {order.status}")
    held = _in_flight(uow, order.id)
    refundable = order.paid_fen - order.refunded_fen - held.fen
    if not isinstance(amount_fen, int) or amount_fen <= 0 or amount_fen > refundable:
        raise InvalidInput("amount_fen", f"must be 1..{refundable}")
    split = _line_split(order, amount_fen, lines, held)
    units = _units(order, quantities, held)
    full = amount_fen == order.paid_fen - order.refunded_fen
    refund = Refund(refund_no=_refund_no(uow, order), order_id=order.id, order_no=order.order_no,
                    amount_fen=amount_fen, reason=reason[:80], full=full,
                    lines={str(k): v for k, v in split.items()}, quantities={str(k): v for k, v in units.items()})
    uow.session.add(refund)
    if full:
        order.status_before_refund = order.status
        move(uow, order, OrderStatus.REFUNDING, actor="merchant", note=reason)
    uow.session.flush()
    ack = gateway.refund(refund_no=refund.refund_no, order_no=order.order_no, amount_fen=amount_fen,
                         total_fen=order.paid_fen, reason=reason[:80], notify_url=gateway.refund_notify_url)
    refund.refund_id = ack.refund_id
    return refund_view(refund)


def _succeed(uow: UnitOfWork, refund: Refund, order: Order) -> None:
    refund.status, refund.succeeded_at = RefundStatus.SUCCEEDED.value, now()
    order.refunded_fen += refund.amount_fen
    units = _refunded_units(refund, order)
    for line in order.lines:
        line.refunded_fen += int(refund.lines.get(str(line.id), 0))
        line.refunded_qty += units.get(line.id, 0)
    before = order.status_before_refund if refund.full else order.status  # a full refund: now `refunding`
    shipped = OrderStatus(before or OrderStatus.PAID.value) not in NOT_SHIPPED
    if refund.full:
        move(uow, order, OrderStatus.REFUNDED, actor="wechatpay", note=refund.refund_no)
    give_back(uow, order, units, restock=not shipped)
    uow.session.flush()
    events.publish(uow, events.OrderRefunded(
        order.id, order.order_no, order.openid, refund.refund_no, refund.amount_fen,
        tuple(sorted((int(k), int(v)) for k, v in refund.lines.items())),
    ))


def _refunded_units(refund: Refund, order: Order) -> dict[int, int]:
    """{line id: units} this refund covers: every unit not refunded yet for a full refund."""
    if refund.full:
        return {ln.id: ln.quantity - ln.refunded_qty for ln in order.lines}
    left = {ln.id: ln.quantity - ln.refunded_qty for ln in order.lines}  # two partial refunds may have raced
    return {int(k): min(int(v), left.get(int(k), 0)) for k, v in (refund.quantities or {}).items()}


def apply_refund_notification(uow: UnitOfWork, n: RefundNotification) -> RefundView:
    """Apply a refund result once; replays are no-ops, a wrong amount is refused."""
    refund = uow.session.scalar(select(Refund).where(Refund.refund_no == n.refund_no))
    if refund is None:
        raise RefundNotFound(n.refund_no)
    order = load_order(uow, refund.order_no, lock=True)
    if refund.status != RefundStatus.PROCESSING.value or n.refund_status not in (REFUND_SUCCESS, "CLOSED", "ABNORMAL"):
        return refund_view(refund)
    if n.amount_fen != refund.amount_fen:
        log.error("refund amount mismatch for %s: %s fen requested, notified %s — refused",
                  refund.refund_no, refund.amount_fen, n.amount_fen)
        raise PaymentAmountMismatch(refund.refund_no, refund.amount_fen, n.amount_fen)
    refund.refund_id = n.refund_id or refund.refund_id
    if n.refund_status == REFUND_SUCCESS:
        _succeed(uow, refund, order)
    else:
        refund.status = RefundStatus.FAILED.value
        if refund.full and order.status == OrderStatus.REFUNDING.value:
            back = OrderStatus(order.status_before_refund or OrderStatus.PAID.value)
            move(uow, order, back, actor="wechatpay", note=f"refund {n.refund_status}")
        uow.session.flush()
    return refund_view(refund)
