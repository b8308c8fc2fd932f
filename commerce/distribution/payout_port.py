"""The payout port: what commerce needs from WeChat Pay's merchant transfer (商家转账, transfer-bills).

Adapters live in `siyu/` (the sandbox one talks to `sandbox/transfer/`).  The
HTTP edge verifies and decrypts MCHTRANSFER.BILL.FINISHED callbacks and hands a
`TransferFinished` to `commerce.distribution.payouts.apply_transfer_result`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

TRANSFER_SUCCESS = "SUCCESS"
TRANSFER_FAILED_STATES = frozenset({"FAIL", "CANCELLED"})
TRANSFER_CANCELLED = "CANCELLED"
TRANSFER_WAIT_USER_CONFIRM = "WAIT_USER_CONFIRM"  # created; the user has not confirmed the receipt yet
# WeChat Pay closes a bill the user has not confirmed within 24 hours of its creation; a payout whose bill
# was cancelled without a fail_reason after that long fails as CONFIRM_EXPIRED (WeChat's own reason code).
CONFIRM_WINDOW = timedelta(hours=24)
CONFIRM_EXPIRED = "OVERDUE_CLOSE"
SCENE_COMMISSION = "1005"  # 佣金报酬
# WeChat Pay: the payee's real name (`user_name`, RSA-encrypted) is required from ¥2,000 and refused below ¥0.30
USER_NAME_REQUIRED_FROM_FEN = 200_000
USER_NAME_ALLOWED_FROM_FEN = 30
NAME_CHECK_FAILED = frozenset({"NAME_NOT_CORRECT", "REAL_NAME_CHECK_FAIL"})  # fail_reason: ask the name again


def needs_user_name(amount_fen: int) -> bool:
    return amount_fen >= USER_NAME_REQUIRED_FROM_FEN


@dataclass(frozen=True)
class TransferRequest:
    out_bill_no: str
    openid: str
    amount_fen: int
    remark: str
    user_name: str | None = None  # required by WeChat from ¥2,000 (encrypted by the adapter)


@dataclass(frozen=True)
class TransferAccepted:
    out_bill_no: str
    transfer_bill_no: str
    state: str  # WAIT_USER_CONFIRM, ACCEPTED, PROCESSING, SUCCESS, FAIL, …
    package_info: str = ""
    fail_reason: str = ""


@dataclass(frozen=True)
class TransferFinished:
    """A verified, decrypted MCHTRANSFER.BILL.FINISHED (or a query result in a final state)."""

    out_bill_no: str
    transfer_bill_no: str
    state: str  # SUCCESS | FAIL | CANCELLED
    amount_fen: int
    openid: str
    fail_reason: str = ""


class PayoutGatewayError(Exception):
    """The transfer API could not be reached or refused the request (adapter error; retryable)."""


class PayoutGateway(Protocol):
    def create_transfer(self, req: TransferRequest) -> TransferAccepted:
        ...


class TransferLookup(Protocol):
    """Query and cancel by out_bill_no, for reconciling payouts whose callback never came."""

    def query_transfer(self, out_bill_no: str) -> TransferAccepted:
        ...

    def cancel_transfer(self, out_bill_no: str) -> TransferAccepted:
        """Accepted: CANCELING (WeChat finishes it asynchronously) or CANCELLED."""
        ...
