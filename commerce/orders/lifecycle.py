"""Order lifecycle use cases after checkout: read, cancel, expire, confirm, ship, deliver, complete.

Every status change goes through `move()` → `states.transition()` and leaves an
`OrderStatusChange` row.  Services flush; the caller commits.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from commerce import events
from commerce.clock import now
from commerce.db import UnitOfWork
from commerce.errors import InvalidInput
from commerce.inventory import limits, stock
from commerce.orders import policy
from commerce.orders.errors import OrderNotFound
from commerce.orders.model import Order, OrderStatusChange
from commerce.orders.states import OrderStatus, transition
from commerce.orders.views import OrderView, order_view

S = OrderStatus


def load_order(uow: UnitOfWork, order_no: str, *, openid: str | None = None, lock: bool = False) -> Order:
    """The order (row-locked on PostgreSQL when `lock`); someone else's order is 'not found'."""
    stmt = select(Order).where(Order.order_no == order_no)
    if lock:
        stmt = stmt.with_for_update()
    order = uow.session.scalar(stmt)
    if order is None or (openid is not None and order.openid != openid):
        raise OrderNotFound(order_no)
    return order


def move(uow: UnitOfWork, order: Order, target: OrderStatus, *, actor: str = "system", note: str = "") -> bool:
    """Transition and record it; False when the order already was in `target` (idempotent repeat)."""
    before = order.status
    if not transition(order, target):
        return False
    uow.session.add(
        OrderStatusChange(order_id=order.id, from_status=before, to_status=target.value, actor=actor[:64],
                          note=note[:255])
    )
    return True


def give_back(uow: UnitOfWork, order: Order, units: Mapping[int, int] | None = None, *, restock: bool) -> None:
    """Units of the order's lines that will not be delivered ({line id: units}; None = every unit):
    back to stock when `restock` (the goods never left) and no longer counted against the buyer's
    purchase limits.  Each unit moves once: the lines record what already went back, so a
    cancel after a partial refund, or a replayed notification, gives nothing back twice."""
    to_stock: dict[int, int] = {}
    to_limits: dict[int, int] = {}
    for line in order.lines:
        n = line.quantity if units is None else units.get(line.id, 0)
        if restock and (back := min(n, line.quantity - line.restocked_qty)) > 0:
            line.restocked_qty += back
            to_stock[line.sku_id] = to_stock.get(line.sku_id, 0) + back
        if (freed := min(n, line.limit_qty)) > 0:
            line.limit_qty -= freed
            to_limits[line.sku_id] = to_limits.get(line.sku_id, 0) + freed
    stock.release(uow, to_stock)
    limits.release_purchases(uow, order.customer_id, to_limits)


def get_order(uow: UnitOfWork, order_no: str, *, openid: str | None = None) -> OrderView:
    return order_view(load_order(uow, order_no, openid=openid))


def list_orders(
    uow: UnitOfWork, openid: str, *, limit: int = 5, status: OrderStatus | None = None
) -> list[OrderView]:
    """The customer's latest orders, newest first."""
    stmt = select(Order).where(Order.openid == openid)
    if status is not None:
        stmt = stmt.where(Order.status == status.value)
    stmt = stmt.order_by(Order.id.desc()).limit(max(1, min(limit, 50)))
    return [order_view(o) for o in uow.session.scalars(stmt)]


def _cancel(uow: UnitOfWork, order: Order, *, actor: str, reason: str) -> None:
    if move(uow, order, S.CANCELLED, actor=actor, note=reason):
        order.cancelled_at = now()
        order.cancel_reason = reason[:255]
        give_back(uow, order, restock=True)
        events.publish(uow, events.OrderCancelled(order.id, order.order_no, order.openid, reason))


def cancel_order(uow: UnitOfWork, order_no: str, *, openid: str | None, reason: str) -> OrderView:
    """Cancel an unpaid order (the user's own when openid is given) and release its stock.

    Paid orders are not cancelled here: they go through a refund (`payments.request_refund`).
    """
    order = load_order(uow, order_no, openid=openid, lock=True)
    _cancel(uow, order, actor=openid or "merchant", reason=reason)
    uow.session.flush()
    return order_view(order)


def expire_unpaid(uow: UnitOfWork) -> int:
    """Cancel pending_payment orders past their deadline, releasing stock; returns how many.

    Runs from the Celery beat task `siyu.orders.expire_unpaid`.  Rows locked by a
    concurrent payment are skipped (SKIP LOCKED) and picked up next run.
    """
    stmt = (
        select(Order)
        .where(Order.status == S.PENDING_PAYMENT.value, Order.expires_at < now())
        .order_by(Order.expires_at)
        .limit(policy.current().expire_batch_size)
        .with_for_update(skip_locked=True)
    )
    count = 0
    for order in uow.session.scalars(stmt).all():
        _cancel(uow, order, actor="system", reason="payment timeout")
        count += 1
    uow.session.flush()
    return count


def confirm_order(uow: UnitOfWork, order_no: str, *, actor: str = "merchant") -> OrderView:
    """Merchant accepts a paid order (接单)."""
    order = load_order(uow, order_no, lock=True)
    if order.status != S.CONFIRMED.value:
        move(uow, order, S.CONFIRMED, actor=actor)
    uow.session.flush()
    return order_view(order)


def ship_order(uow: UnitOfWork, order_no: str, *, carrier: str, tracking_no: str, actor: str) -> OrderView:
    """Record the courier and tracking number; a paid order is confirmed on the way.

    Shipping an already shipped order again corrects its tracking data.
    """
    carrier, tracking_no = carrier.strip(), tracking_no.strip()
    if not carrier:
        raise InvalidInput("carrier", "required")
    if not tracking_no or len(tracking_no) > 64 or not tracking_no.isascii():
        raise InvalidInput("tracking_no", "1-64 ASCII characters")
    order = load_order(uow, order_no, lock=True)
    if order.status == S.PAID.value:
        move(uow, order, S.CONFIRMED, actor=actor, note="confirmed by shipping")
    if move(uow, order, S.SHIPPED, actor=actor, note=f"{carrier} {tracking_no}"):
        order.shipped_at = now()
    order.carrier, order.tracking_no = carrier[:32], tracking_no
    uow.session.flush()
    return order_view(order)


def mark_delivered(uow: UnitOfWork, order_no: str) -> OrderView:
    """The courier reports the parcel signed for; the after-sale window starts now."""
    order = load_order(uow, order_no, lock=True)
    if move(uow, order, S.DELIVERED, actor="courier"):
        order.delivered_at = now()
        events.publish(uow, events.OrderDelivered(order.id, order.order_no, order.openid))
    uow.session.flush()
    return order_view(order)


def complete_order(uow: UnitOfWork, order_no: str, *, actor: str = "system") -> OrderView:
    """Close a delivered order (after-sale window over, or the buyer confirms receipt)."""
    order = load_order(uow, order_no, lock=True)
    if move(uow, order, S.COMPLETED, actor=actor):
        order.completed_at = now()
    uow.session.flush()
    return order_view(order)
