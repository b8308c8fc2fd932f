"""Who may receive a customer-service message right now (WeChat's rules since 2023-06).

User wrote → 5 messages within 48 h; subscribe / QR scan / menu click → 3 within
1 minute; payment → unlimited for 48 h.  Outside every window → 45015; window
open but used up → 45047.
"""

from __future__ import annotations

from dataclasses import dataclass

WINDOW_SECONDS = 48 * 3600
EVENT_WINDOW_SECONDS = 60
OUTSIDE_WINDOW = 45015
QUOTA_EXCEEDED = 45047
NOT_FOLLOWING = 43004


@dataclass
class Follower:
    openid: str
    following: bool = False
    subscribed_at: float = 0.0
    subscribe_scene: str = ""
    last_message_at: float = 0.0
    sent_since_message: int = 0
    last_event_at: float = 0.0
    sent_since_event: int = 0
    paid_at: float = 0.0

    def wrote(self, now: float) -> None:
        self.following = True
        self.last_message_at, self.sent_since_message = now, 0

    def interacted(self, now: float) -> None:
        """subscribe, SCAN or CLICK: a short 3-per-minute window."""
        self.following = True
        self.last_event_at, self.sent_since_event = now, 0

    def paid(self, now: float) -> None:
        self.paid_at = now


def consume_cs_quota(user: Follower | None, now: float, per_48h: int, per_minute: int) -> int:
    """0 and one message counted, or the errcode WeChat answers."""
    if user is None or not user.following:
        return OUTSIDE_WINDOW
    if user.paid_at and now - user.paid_at < WINDOW_SECONDS:
        return 0
    event_open = bool(user.last_event_at) and now - user.last_event_at < EVENT_WINDOW_SECONDS
    if event_open and user.sent_since_event < per_minute:
        user.sent_since_event += 1
        return 0
    if user.last_message_at and now - user.last_message_at < WINDOW_SECONDS:
        if user.sent_since_message < per_48h:
            user.sent_since_message += 1
            return 0
        return QUOTA_EXCEEDED
    return QUOTA_EXCEEDED if event_open else OUTSIDE_WINDOW
