"""After-sale rules: what a customer's 「我要退款」 turns into.  Pure functions, no database.

1. Paid, not shipped (paid / confirmed) → REFUND, no merchant approval: the whole
   order (shipping included) or the chosen lines are refunded through the payment
   provider at once.  The refunded units go back to stock (see `outcomes.py`).
2. Shipped, delivered or completed, within `window_days` (7: 消法 25 counts from
   receipt; a parcel not yet delivered is inside the window) and every chosen line's
   product allows no-reason returns → RETURN: the merchant approves
   (`siyu aftersale approve ID`), the buyer sends the goods back at their own cost,
   the merchant confirms receipt (`siyu aftersale received ID`) and the refund runs.
   A whole-order return refunds what was paid, shipping included; returning some
   lines refunds those lines' goods money.
3. Outside the window → `ReturnWindowClosed`; a chosen product excluded from
   no-reason returns (鲜活易腐 etc., `Product.no_reason_return = False`) →
   `NotReturnable`.  Quality problems are for a human (the chat offers 转人工).
4. Unpaid → `NotPaidYet` (cancel instead); cancelled, refunded, or a refund or return
   already in progress → `NothingToRefund`.

Refunds claw commission back through `OrderRefunded` (distribution subscribes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from commerce.aftersale.errors import NothingToRefund, NotPaidYet, NotReturnable, ReturnWindowClosed
from commerce.aftersale.states import AfterSaleKind
from commerce.clock import as_utc
from commerce.errors import InvalidInput
from commerce.orders.states import OrderStatus

NO_REASON_RETURN_DAYS = 7
S = OrderStatus
REFUND_BEFORE_SHIPPING = frozenset({S.PAID, S.CONFIRMED})
RETURN_AFTER_SHIPPING = frozenset({S.SHIPPED, S.DELIVERED, S.COMPLETED})


@dataclass(frozen=True)
class LineFacts:
    id: int
    name: str
    paid_fen: int
    refunded_fen: int
    returnable: bool  # the product allows 7天无理由

    @property
    def remaining_fen(self) -> int:
        return self.paid_fen - self.refunded_fen


@dataclass(frozen=True)
class OrderFacts:
    order_no: str
    status: OrderStatus
    delivered_at: datetime | None
    paid_fen: int
    refunded_fen: int
    lines: tuple[LineFacts, ...]


@dataclass(frozen=True)
class Plan:
    kind: AfterSaleKind
    whole_order: bool
    amount_fen: int
    lines: dict[int, int]  # line id -> goods fen; empty for a whole order (the refund spreads it)
    names: tuple[str, ...]
    deadline: datetime | None  # last moment for a no-reason return (None: not delivered yet)


def return_deadline(delivered_at: datetime | None, window_days: int) -> datetime | None:
    return as_utc(delivered_at) + timedelta(days=window_days) if delivered_at is not None else None


def _kind(order: OrderFacts, chosen: list[LineFacts], now: datetime, window_days: int) -> AfterSaleKind:
    if order.status in REFUND_BEFORE_SHIPPING:
        return AfterSaleKind.REFUND
    if order.status not in RETURN_AFTER_SHIPPING:
        raise NotPaidYet(order.order_no) if order.status is S.PENDING_PAYMENT else NothingToRefund(
            order.order_no, order.status.value)
    deadline = return_deadline(order.delivered_at, window_days)
    if deadline is not None and now > deadline:
        raise ReturnWindowClosed(order.order_no, deadline)
    excluded = tuple(line.name for line in chosen if not line.returnable)
    if excluded:
        raise NotReturnable(order.order_no, excluded)
    return AfterSaleKind.RETURN


def _chosen(order: OrderFacts, line_ids: tuple[int, ...] | None) -> list[LineFacts]:
    open_lines = [line for line in order.lines if line.remaining_fen > 0]
    if line_ids is None:
        return open_lines
    known = {line.id for line in order.lines}
    if unknown := [i for i in line_ids if i not in known]:
        raise InvalidInput("line_ids", f"not lines of {order.order_no}: {unknown}")
    return [line for line in open_lines if line.id in set(line_ids)]


def plan(order: OrderFacts, line_ids: tuple[int, ...] | None, *, now: datetime,
         window_days: int = NO_REASON_RETURN_DAYS) -> Plan:
    """What a refund request for `order` (all lines, or `line_ids`) becomes; raises when refused."""
    if order.status is S.PENDING_PAYMENT:
        raise NotPaidYet(order.order_no)
    chosen = _chosen(order, line_ids)
    if not chosen or order.paid_fen - order.refunded_fen <= 0:
        raise NothingToRefund(order.order_no, order.status.value)
    kind = _kind(order, chosen, now, window_days)
    whole = {line.id for line in chosen} == {line.id for line in order.lines if line.remaining_fen > 0}
    amount = order.paid_fen - order.refunded_fen if whole else sum(line.remaining_fen for line in chosen)
    lines = {} if whole else {line.id: line.remaining_fen for line in chosen}
    return Plan(kind, whole, amount, lines, tuple(line.name for line in chosen),
                return_deadline(order.delivered_at, window_days))
