"""The order state machine — the one place that decides which status may follow which.

    pending_payment → paid → confirmed → shipped → delivered → completed
    pending_payment → cancelled                      (user cancel, payment timeout)
    paid | confirmed | delivered | completed → refunding → refunded   (full refund)
    refunding → back to the status it came from      (refund closed / abnormal)
    shipped | delivered → return_requested → returning → refunding    (return flow)
    return_requested → delivered                     (return rejected or withdrawn)

Partial refunds do not change the order status (they are tracked on refund rows).
`transition(order, target)` is the only writer of `order.status`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from commerce.errors import IllegalTransition


class OrderStatus(StrEnum):
    PENDING_PAYMENT = "pending_payment"
    PAID = "paid"
    CONFIRMED = "confirmed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REFUNDING = "refunding"
    REFUNDED = "refunded"
    RETURN_REQUESTED = "return_requested"
    RETURNING = "returning"


S = OrderStatus

TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.PENDING_PAYMENT: frozenset({S.PAID, S.CANCELLED}),
    S.PAID: frozenset({S.CONFIRMED, S.REFUNDING}),
    S.CONFIRMED: frozenset({S.SHIPPED, S.REFUNDING}),
    S.SHIPPED: frozenset({S.DELIVERED, S.RETURN_REQUESTED}),
    S.DELIVERED: frozenset({S.COMPLETED, S.RETURN_REQUESTED, S.REFUNDING}),
    S.COMPLETED: frozenset({S.REFUNDING}),
    S.RETURN_REQUESTED: frozenset({S.RETURNING, S.DELIVERED, S.REFUNDING}),
    S.RETURNING: frozenset({S.REFUNDING}),
    S.REFUNDING: frozenset({S.REFUNDED, S.PAID, S.CONFIRMED, S.SHIPPED, S.DELIVERED, S.COMPLETED}),
    S.CANCELLED: frozenset(),
    S.REFUNDED: frozenset(),
}

# Asking for the status an order already has is a no-op for these (replayed callbacks, double clicks).
IDEMPOTENT: frozenset[OrderStatus] = frozenset(
    {S.PAID, S.CANCELLED, S.SHIPPED, S.DELIVERED, S.COMPLETED, S.REFUNDING, S.REFUNDED}
)

# The order has been paid and not (fully) refunded or cancelled: money is with the shop.
PAID_STATES: frozenset[OrderStatus] = frozenset(
    {S.PAID, S.CONFIRMED, S.SHIPPED, S.DELIVERED, S.COMPLETED, S.RETURN_REQUESTED, S.RETURNING}
)
# Goods have not left the warehouse: a full refund releases the reserved stock.
NOT_SHIPPED: frozenset[OrderStatus] = frozenset({S.PENDING_PAYMENT, S.PAID, S.CONFIRMED})


class HasStatus(Protocol):
    status: str


def can_transition(current: OrderStatus, target: OrderStatus) -> bool:
    return target in TRANSITIONS[current]


def transition(order: HasStatus, target: OrderStatus) -> bool:
    """Move `order` to `target`; True if it changed, False for an idempotent repeat.

    Raises `IllegalTransition` when the table does not allow the move.
    """
    current = OrderStatus(order.status)
    if current == target and target in IDEMPOTENT:
        return False
    if not can_transition(current, target):
        raise IllegalTransition("order", current.value, target.value)
    order.status = target.value
    return True
