"""Order use cases — the public surface other packages code against.

Checkout lives in `checkout.py`, the rest of the lifecycle in `lifecycle.py`;
this module re-exports both so callers import one place.  Services flush but
never commit: the caller owns the unit of work (`with db.uow() as uow: …;
uow.commit()`).
"""

from __future__ import annotations

from commerce.orders.checkout import CheckoutPreview, place_order, preview_checkout
from commerce.orders.lifecycle import (
    cancel_order,
    complete_order,
    confirm_order,
    expire_unpaid,
    get_order,
    list_orders,
    mark_delivered,
    ship_order,
)
from commerce.orders.pricing import PricedLine
from commerce.orders.states import OrderStatus
from commerce.orders.views import OrderLineView, OrderView

__all__ = [
    "CheckoutPreview",
    "OrderLineView",
    "OrderStatus",
    "OrderView",
    "PricedLine",
    "cancel_order",
    "complete_order",
    "confirm_order",
    "expire_unpaid",
    "get_order",
    "list_orders",
    "mark_delivered",
    "place_order",
    "preview_checkout",
    "ship_order",
]
