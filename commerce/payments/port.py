"""The payment port: what commerce needs from a payment provider, shaped after WeChat Pay v3.

Adapters live in `siyu/adapters/` (the sandbox one talks HTTP to `sandbox/pay/`,
the real one uses the `wechatpayv3` package).  Notifications arrive at the HTTP
edge, which verifies and decrypts them with `parse_notification` /
`parse_refund_notification` and hands the resulting value objects to
`commerce.payments.services`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

TRADE_SUCCESS = "SUCCESS"
REFUND_SUCCESS = "SUCCESS"


@dataclass(frozen=True)
class PaymentNotification:
    """A decrypted, verified TRANSACTION.* callback (or a query result)."""

    order_no: str  # out_trade_no
    transaction_id: str
    trade_state: str  # SUCCESS, NOTPAY, CLOSED, REFUND, PAYERROR, …
    amount_fen: int  # amount.total
    payer_openid: str
    success_time: datetime | None


@dataclass(frozen=True)
class RefundNotification:
    """A decrypted, verified REFUND.* callback."""

    refund_no: str  # out_refund_no
    refund_id: str
    order_no: str  # out_trade_no
    refund_status: str  # SUCCESS, CLOSED, ABNORMAL, PROCESSING
    amount_fen: int  # amount.refund
    success_time: datetime | None = None


@dataclass(frozen=True)
class RefundAck:
    refund_id: str
    status: str  # PROCESSING or SUCCESS


class PaymentGatewayError(Exception):
    """The provider could not be reached or refused the request (adapter error; retryable)."""

    def __init__(self, message: str, *, status: int = 0, code: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class NotificationRejected(Exception):
    """A callback failed verification: `status` is the HTTP status to answer (400 or 401)."""

    def __init__(self, reason: str, status: int = 401) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class PaymentGateway(Protocol):
    notify_url: str
    refund_notify_url: str

    def create_jsapi(
        self, order_no: str, description: str, amount_fen: int, openid: str, notify_url: str,
        expires_at: datetime | None,
    ) -> str:
        """Create a JSAPI prepay order; returns prepay_id."""
        ...

    def jsapi_params(self, prepay_id: str) -> dict[str, str]:
        """The signed parameters the pay page passes to WeixinJSBridge getBrandWCPayRequest."""
        ...

    def query(self, order_no: str) -> PaymentNotification:
        ...

    def close(self, order_no: str) -> None:
        ...

    def refund(
        self, *, refund_no: str, order_no: str, amount_fen: int, total_fen: int, reason: str, notify_url: str
    ) -> RefundAck:
        ...

    def parse_notification(self, headers: Mapping[str, str], body: bytes) -> PaymentNotification:
        """Verify signature + timestamp, decrypt the resource; raises NotificationRejected."""
        ...

    def parse_refund_notification(self, headers: Mapping[str, str], body: bytes) -> RefundNotification:
        ...
