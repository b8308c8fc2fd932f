"""The one time source of the domain.  Tests and the demo can move it forward.

`now()` is timezone-aware UTC.  `advance(days=7)` shifts every later `now()`
(used by the demo-only `siyu demo-time advance` command and by tests to close
after-sale windows without sleeping).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

CHINA_TZ = timezone(timedelta(hours=8), name="Asia/Shanghai")
_offset = timedelta(0)


def now() -> datetime:
    return datetime.now(UTC) + _offset


def china_now() -> datetime:
    return now().astimezone(CHINA_TZ)


def advance(**delta: float) -> timedelta:
    global _offset
    _offset += timedelta(**delta)
    return _offset


def reset() -> None:
    global _offset
    _offset = timedelta(0)


def as_utc(dt: datetime) -> datetime:
    """SQLite returns naive datetimes; treat them as UTC."""
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt
