"""Domain-event subscriptions: commission follows the order's life, inside the order's transaction.

`register(policy_provider)` is called once by the composition root.  The policy is
read through a provider so a reloaded config takes effect without re-subscribing.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from commerce import events
from commerce.catalog.model import Category, Product
from commerce.db import UnitOfWork
from commerce.distribution.engine import CommissionInput, CommissionLine
from commerce.distribution.ledger import claw_back, claw_back_order, mark_delivered, record_commission
from commerce.distribution.policy import DistributionPolicy
from commerce.orders.model import Order

PolicyProvider = Callable[[], DistributionPolicy]


def commission_input(uow: UnitOfWork, order_id: int) -> CommissionInput | None:
    """Read an order as the engine's input: per line the goods amount actually paid, excluding shipping."""
    order = uow.session.get(Order, order_id)
    if order is None:
        return None
    product_ids = {ln.product_id for ln in order.lines}
    paths = dict(uow.session.execute(
        select(Product.id, Category.path).join(Category, Category.id == Product.category_id, isouter=True)
        .where(Product.id.in_(product_ids))
    ).tuples().all()) if product_ids else {}
    lines = tuple(
        CommissionLine(ln.id, ln.product_id, paths.get(ln.product_id) or "", ln.sku_id, ln.paid_fen,
                       ln.product_kind, ln.quantity)
        for ln in order.lines
    )
    return CommissionInput(order.id, order.customer_id, lines, order.order_no)


_policy: list[PolicyProvider] = []


def _current() -> DistributionPolicy:
    return _policy[0]() if _policy else DistributionPolicy()


def on_paid(uow: UnitOfWork, event: events.OrderPaid) -> None:
    order = commission_input(uow, event.order_id)
    if order is not None:
        record_commission(uow, order, _current())


def on_delivered(uow: UnitOfWork, event: events.OrderDelivered) -> None:
    mark_delivered(uow, event.order_id, _current())


def on_refunded(uow: UnitOfWork, event: events.OrderRefunded) -> None:
    claw_back(uow, event.order_id, event.refund_no, event.lines)


def on_cancelled(uow: UnitOfWork, event: events.OrderCancelled) -> None:
    claw_back_order(uow, event.order_id, f"cancel:{event.order_no}")


def register(policy_provider: PolicyProvider) -> None:
    """Subscribe once (calling it again only swaps the policy provider)."""
    _policy[:] = [policy_provider]
    events.subscribe(events.OrderPaid, on_paid)
    events.subscribe(events.OrderDelivered, on_delivered)
    events.subscribe(events.OrderRefunded, on_refunded)
    events.subscribe(events.OrderCancelled, on_cancelled)
