"""Fakes of our own ports (small subclasses/duck types, never mock.patch of our code)."""

from __future__ import annotations

from commerce.payments.port import RefundAck


class AcceptingRefunds:
    """A payment gateway that accepts every refund and never calls back: the test sends the
    refund notification itself (and can replay it)."""

    notify_url = "http://testserver/pay/notify"
    refund_notify_url = "http://testserver/pay/refund-notify"

    def __init__(self) -> None:
        self.refunds: list[tuple[str, int]] = []

    def refund(self, *, refund_no: str, order_no: str, amount_fen: int, total_fen: int, reason: str,
               notify_url: str) -> RefundAck:
        self.refunds.append((refund_no, amount_fen))
        return RefundAck(f"R-{refund_no}", "PROCESSING")
