"""Payment domain errors."""

from __future__ import annotations

from commerce.errors import CommerceError, NotFound


class PaymentAmountMismatch(CommerceError):
    """A payment or refund notification reports a different amount than ours: refused, order untouched."""

    def __init__(self, reference: str, expected_fen: int, got_fen: int) -> None:
        super().__init__(f"{reference}: expected {expected_fen} fen, notification says {got_fen}")
        self.reference = reference
        self.expected_fen = expected_fen
        self.got_fen = got_fen


class RefundNotFound(NotFound):
    def __init__(self, refund_no: str) -> None:
        super().__init__("refund", refund_no)
        self.refund_no = refund_no


class RefundNotAllowed(CommerceError):
    def __init__(self, order_no: str, reason: str) -> None:
        super().__init__(f"refund of {order_no} refused: {reason}")
        self.order_no = order_no
        self.reason = reason
