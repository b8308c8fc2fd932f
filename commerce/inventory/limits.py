"""Per-customer purchase limits (限购): how many of a SKU a customer already holds in live orders."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from commerce.db import UnitOfWork
from commerce.orders.model import Order, OrderLine
from commerce.orders.states import COUNTS_FOR_LIMIT


def already_bought(uow: UnitOfWork, customer_id: int, sku_ids: Iterable[int]) -> dict[int, int]:
    """Quantity per SKU in the customer's orders that are not cancelled or refunded."""
    ids = list(set(sku_ids))
    if not ids:
        return {}
    rows = uow.session.execute(
        select(OrderLine.sku_id, func.sum(OrderLine.quantity))
        .join(Order, Order.id == OrderLine.order_id)
        .where(
            Order.customer_id == customer_id,
            OrderLine.sku_id.in_(ids),
            Order.status.in_([s.value for s in COUNTS_FOR_LIMIT]),
        )
        .group_by(OrderLine.sku_id)
    )
    return {int(sku_id): int(qty or 0) for sku_id, qty in rows.tuples()}
