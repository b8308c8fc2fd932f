"""The courier port: what commerce needs from a parcel-tracking provider, shaped after Kuaidi100.

`query` is for lookups a user triggers (rate-limited at the provider); `subscribe`
asks the provider to push every change to our `POST /courier/notify`, where the
edge hands the form to `parse_push` (verifies the signature) and the result to
`commerce.logistics.services.apply_tracking`.  The Kuaidi100 adapter lives in
`siyu/adapters/kuaidi100.py`; the imitation in `sandbox/courier/`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class TrackingState(StrEnum):
    """Where the parcel is, as far as the courier knows (Kuaidi100's main states, named)."""

    PENDING = "pending"  # shipped in our system, no courier record yet
    COLLECTED = "collected"  # 揽收
    IN_TRANSIT = "in_transit"  # 在途
    DELIVERING = "delivering"  # 派件
    SIGNED = "signed"  # 签收
    PROBLEM = "problem"  # 疑难
    RETURNED = "returned"  # 退签 / 退回
    REFUSED = "refused"  # 拒签
    FORWARDED = "forwarded"  # 转投
    CUSTOMS = "customs"  # 清关


@dataclass(frozen=True)
class TrackingEvent:
    time: str  # as the courier reports it, local time "YYYY-MM-DD HH:MM:SS"
    context: str
    location: str = ""


@dataclass(frozen=True)
class Tracking:
    state: TrackingState
    events: tuple[TrackingEvent, ...] = ()  # newest first
    signed: bool = False

    @property
    def latest_time(self) -> str:
        return self.events[0].time if self.events else ""


@dataclass(frozen=True)
class CourierPush:
    """A verified subscription push: which parcel, and its whole tracking as the courier sees it now."""

    carrier: str
    tracking_no: str
    tracking: Tracking
    status: str = "polling"  # polling | shutdown | abort | updateall


class CourierUnavailable(Exception):
    """The provider could not be reached or refused the query (adapter error; retryable)."""

    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(message)
        self.code = code


class PushRejected(Exception):
    """A push failed verification: `status` is the HTTP status to answer (400 or 401)."""

    def __init__(self, reason: str, status: int = 401) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class CourierTracker(Protocol):
    def query(self, carrier: str, tracking_no: str, phone: str = "") -> Tracking:
        """The parcel's tracking now; raises CourierUnavailable (no record yet, provider down, …)."""
        ...

    def subscribe(self, carrier: str, tracking_no: str, phone: str = "") -> None:
        """Ask for pushes to our notify URL; a repeated subscription is not an error."""
        ...

    def parse_push(self, form: Mapping[str, str]) -> CourierPush:
        """Verify and decode a push (form fields `param`, `sign`); raises PushRejected."""
        ...
