"""Domain events: a tiny in-process bus.

`publish(uow, event)` calls every handler subscribed to the event's type *inside*
the caller's unit of work (so e.g. commission entries commit atomically with the
payment).  Handlers that talk to the outside world must defer with
`uow.after_commit(fn)`.  Subscriptions are made once by the composition root.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from commerce.db import UnitOfWork

Handler = Callable[[UnitOfWork, Any], None]
_handlers: dict[type, list[Handler]] = defaultdict(list)


def subscribe(event_type: type, handler: Handler) -> None:
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)


def clear() -> None:
    _handlers.clear()


def publish(uow: UnitOfWork, event: object) -> None:
    for handler in list(_handlers.get(type(event), ())):
        handler(uow, event)


@dataclass(frozen=True)
class OrderPaid:
    order_id: int
    order_no: str
    openid: str
    paid_fen: int


@dataclass(frozen=True)
class OrderCancelled:
    order_id: int
    order_no: str
    openid: str
    reason: str


@dataclass(frozen=True)
class OrderDelivered:
    order_id: int
    order_no: str
    openid: str


@dataclass(frozen=True)
class OrderRefunded:
    """A (partial) refund succeeded. `lines` maps order line id -> refunded goods fen."""

    order_id: int
    order_no: str
    openid: str
    refund_no: str
    refund_fen: int
    lines: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class PayoutFinished:
    """A payout reached paid or failed (a failed one's money is back in the balance)."""

    payout_no: str
    openid: str
    paid: bool


@dataclass(frozen=True)
class PayoutAwaitingConfirmation:
    """A WeChat-change transfer was created and waits for the user to confirm the receipt (WAIT_USER_CONFIRM),
    outside the withdrawal's own chat reply (merchant approval, a retried or worker-run transfer)."""

    payout_no: str
    openid: str


@dataclass(frozen=True)
class DistributorReviewed:
    """The merchant approved or rejected an application; `applied_at` (ISO) tells one application from the next."""

    code: str
    openid: str
    approved: bool
    note: str
    applied_at: str


@dataclass(frozen=True)
class LowStock:
    sku_id: int
    sku_code: str
    product_name: str
    stock: int
    threshold: int
