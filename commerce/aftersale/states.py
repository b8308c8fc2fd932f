"""The after-sale request state machine — the one place that decides which status may follow which.

    requested → approved → refunding → refunded            (refund only; automatic before shipping)
    requested → approved → awaiting_return → received → refunding → refunded   (return and refund)
    requested → rejected
    refunding → refund_failed → refunding                  (the provider closed the refund; retry)

Asking for the status a request already has is a no-op (double clicks, replayed callbacks).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from commerce.errors import IllegalTransition


class AfterSaleKind(StrEnum):
    REFUND = "refund"  # money back, goods never left (or nothing to send back)
    RETURN = "return"  # goods come back first, then the money


class AfterSaleStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    AWAITING_RETURN = "awaiting_return"
    RECEIVED = "received"
    REFUNDING = "refunding"
    REFUNDED = "refunded"
    REFUND_FAILED = "refund_failed"
    REJECTED = "rejected"


A = AfterSaleStatus
TRANSITIONS: dict[AfterSaleStatus, frozenset[AfterSaleStatus]] = {
    A.REQUESTED: frozenset({A.APPROVED, A.REJECTED}),
    A.APPROVED: frozenset({A.REFUNDING, A.AWAITING_RETURN}),
    A.AWAITING_RETURN: frozenset({A.RECEIVED}),
    A.RECEIVED: frozenset({A.REFUNDING}),
    A.REFUNDING: frozenset({A.REFUNDED, A.REFUND_FAILED}),
    A.REFUND_FAILED: frozenset({A.REFUNDING}),
    A.REFUNDED: frozenset(),
    A.REJECTED: frozenset(),
}
OPEN: frozenset[AfterSaleStatus] = frozenset(set(A) - {A.REFUNDED, A.REJECTED})


class HasStatus(Protocol):
    status: str


def transition(request: HasStatus, target: AfterSaleStatus) -> bool:
    """Move to `target`; False for a repeat of the current status; IllegalTransition if not allowed."""
    current = AfterSaleStatus(request.status)
    if current == target:
        return False
    if target not in TRANSITIONS[current]:
        raise IllegalTransition("after_sale", current.value, target.value)
    request.status = target.value
    return True
