"""After-sale domain errors (data-carrying; bot/ maps them to Chinese text, the CLI prints them)."""

from __future__ import annotations

from datetime import datetime

from commerce.errors import CommerceError, NotFound


class AfterSaleNotFound(NotFound):
    def __init__(self, request_id: int) -> None:
        super().__init__("after_sale", request_id)
        self.request_id = request_id


class NotPaidYet(CommerceError):
    """Nothing was paid: an unpaid order is cancelled, not refunded."""

    def __init__(self, order_no: str) -> None:
        super().__init__(f"order {order_no} is not paid: cancel it instead")
        self.order_no = order_no


class NothingToRefund(CommerceError):
    """Cancelled, already refunded, or a full refund is in flight."""

    def __init__(self, order_no: str, status: str) -> None:
        super().__init__(f"order {order_no} is {status}: nothing to refund")
        self.order_no = order_no
        self.status = status


class ReturnWindowClosed(CommerceError):
    """More than the no-reason return period since delivery (消法 25: 7 days from receipt)."""

    def __init__(self, order_no: str, deadline: datetime) -> None:
        super().__init__(f"order {order_no}: return window closed at {deadline.isoformat()}")
        self.order_no = order_no
        self.deadline = deadline


class NotReturnable(CommerceError):
    """Some chosen goods are excluded from no-reason returns (鲜活易腐, made to order, …)."""

    def __init__(self, order_no: str, names: tuple[str, ...]) -> None:
        super().__init__(f"order {order_no}: not returnable without reason: {', '.join(names)}")
        self.order_no = order_no
        self.names = names
