"""Logistics use cases: record a shipment, keep its tracking current, detect delivery.

- `record_shipment` ships the order (`orders.ship_order`) and keeps a `Shipment` row.
- `apply_tracking` takes a verified courier push: replays and older reports change
  nothing; a 签收 marks the order delivered (`orders.mark_delivered`), which starts
  the after-sale window and the commission freeze.
- `refresh_tracking` asks the courier when a user wants to know; if the courier
  cannot answer, the last known tracking is returned marked `stale`.
Services flush; the caller commits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select

from commerce.clock import now
from commerce.db import UnitOfWork
from commerce.logistics.errors import NotShipped, ShipmentNotFound
from commerce.logistics.model import Shipment
from commerce.logistics.port import CourierTracker, CourierUnavailable, Tracking
from commerce.orders import lifecycle
from commerce.orders.model import Order
from commerce.orders.states import OrderStatus

log = logging.getLogger("commerce.logistics")


@dataclass(frozen=True)
class ShipmentView:
    order_no: str
    carrier: str
    tracking_no: str
    tracking: Tracking
    order_status: OrderStatus
    item_names: tuple[str, ...]
    stale: bool = False  # the courier could not be asked just now: this is the last known tracking


def _view(shipment: Shipment, order: Order, *, stale: bool = False) -> ShipmentView:
    return ShipmentView(shipment.order_no, shipment.carrier, shipment.tracking_no, shipment.tracking(),
                        OrderStatus(order.status), tuple(line.name for line in order.lines), stale)


def normalise_carrier(carrier: str) -> str:
    return carrier.strip().lower()


def _ensure(uow: UnitOfWork, order: Order) -> Shipment:
    """The order's shipment row, created for orders shipped before it existed, reset on a new number."""
    assert order.tracking_no is not None
    carrier = normalise_carrier(order.carrier or "")
    shipment = uow.session.scalar(select(Shipment).where(Shipment.order_id == order.id))
    if shipment is None:
        shipment = Shipment(order_id=order.id, order_no=order.order_no, openid=order.openid, carrier=carrier,
                            tracking_no=order.tracking_no, events=[])
        uow.session.add(shipment)
        uow.session.flush()
    else:
        shipment.reset(carrier, order.tracking_no)
    return shipment


def record_shipment(uow: UnitOfWork, order_no: str, *, carrier: str, tracking_no: str, actor: str) -> ShipmentView:
    """Ship the order (paid or confirmed; a shipped one gets its tracking data corrected)."""
    lifecycle.ship_order(uow, order_no, carrier=normalise_carrier(carrier), tracking_no=tracking_no, actor=actor)
    order = lifecycle.load_order(uow, order_no)
    shipment = _ensure(uow, order)
    uow.session.flush()
    return _view(shipment, order)


def mark_subscribed(uow: UnitOfWork, order_no: str) -> None:
    """The courier accepted our push subscription for this order's parcel."""
    order = lifecycle.load_order(uow, order_no)
    if order.tracking_no:
        _ensure(uow, order).subscribed_at = now()
        uow.session.flush()


def _deliver_if_signed(uow: UnitOfWork, shipment: Shipment) -> None:
    order = lifecycle.load_order(uow, shipment.order_no, lock=True)
    if shipment.signed and order.status == OrderStatus.SHIPPED.value:
        lifecycle.mark_delivered(uow, order.order_no)


def _update(uow: UnitOfWork, shipment: Shipment, tracking: Tracking) -> bool:
    if not shipment.is_news(tracking):
        return False  # a replay or an older report: not even a timestamp changes
    shipment.record(tracking)
    shipment.checked_at = now()
    _deliver_if_signed(uow, shipment)
    return True


def _shipments_for(uow: UnitOfWork, carrier: str, tracking_no: str) -> list[Shipment]:
    found = list(uow.session.scalars(
        select(Shipment).where(Shipment.tracking_no == tracking_no, Shipment.carrier == carrier)))
    if found:
        return found
    orders = uow.session.scalars(select(Order).where(Order.tracking_no == tracking_no))
    return [_ensure(uow, o) for o in orders if normalise_carrier(o.carrier or "") == carrier]


def apply_tracking(uow: UnitOfWork, carrier: str, tracking_no: str, tracking: Tracking) -> int:
    """Apply a courier report to every shipment with that parcel; returns how many changed."""
    changed = 0
    for shipment in _shipments_for(uow, normalise_carrier(carrier), tracking_no.strip()):
        changed += _update(uow, shipment, tracking)
    if not changed:
        log.info("courier report for %s %s changed nothing (replay, older, or unknown parcel)", carrier, tracking_no)
    uow.session.flush()
    return changed


def refresh_tracking(uow: UnitOfWork, tracker: CourierTracker, order_no: str, *,
                     openid: str | None = None) -> ShipmentView:
    """The order's tracking, asked from the courier unless the parcel is already signed for."""
    order = lifecycle.load_order(uow, order_no, openid=openid)
    if not order.tracking_no:
        raise NotShipped(order.order_no, order.status)
    shipment = _ensure(uow, order)
    if shipment.signed:
        return _view(shipment, order)
    try:
        tracking = tracker.query(shipment.carrier, shipment.tracking_no, order.receiver_phone)
    except CourierUnavailable as exc:
        log.warning("courier query for %s failed: %s", shipment.tracking_no, exc)
        return _view(shipment, order, stale=True)
    _update(uow, shipment, tracking)
    shipment.checked_at = now()
    uow.session.flush()
    return _view(shipment, order)


def known_tracking(uow: UnitOfWork, order_no: str, *, openid: str | None = None) -> ShipmentView:
    """What we already know about the order's parcel (no courier call: for lists)."""
    order = lifecycle.load_order(uow, order_no, openid=openid)
    if not order.tracking_no:
        raise NotShipped(order.order_no, order.status)
    shipment = _ensure(uow, order)
    uow.session.flush()
    return _view(shipment, order)


def shipped_orders(uow: UnitOfWork, openid: str, *, limit: int = 5) -> list[str]:
    """Order numbers of the customer's parcels (orders with a tracking number), newest first."""
    stmt = (select(Order.order_no)
            .where(Order.openid == openid, Order.tracking_no.is_not(None),
                   Order.status != OrderStatus.CANCELLED.value)
            .order_by(Order.id.desc()).limit(max(1, min(limit, 20))))
    return list(uow.session.scalars(stmt))


def order_of_tracking_no(uow: UnitOfWork, openid: str, tracking_no: str) -> str:
    """The customer's order shipped with this tracking number (someone else's parcel is 'not found')."""
    order_no = uow.session.scalar(
        select(Order.order_no).where(Order.openid == openid, Order.tracking_no == tracking_no.strip().upper())
        .order_by(Order.id.desc()).limit(1)) or uow.session.scalar(
        select(Order.order_no).where(Order.openid == openid, Order.tracking_no == tracking_no.strip())
        .order_by(Order.id.desc()).limit(1))
    if order_no is None:
        raise ShipmentNotFound(tracking_no)
    return order_no
