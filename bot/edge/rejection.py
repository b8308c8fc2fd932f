"""Why a callback is refused, and with which HTTP status (never with a reply body)."""

from __future__ import annotations


class Rejected(Exception):
    """A callback we refuse: `status` is the HTTP status, `reason` goes to the log only."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"{status} {reason}")
        self.status = status
        self.reason = reason


def bad_request(reason: str) -> Rejected:
    return Rejected(400, reason)


def forbidden(reason: str) -> Rejected:
    return Rejected(403, reason)
