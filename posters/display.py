"""Display strings for posters: yuan from fen, date ranges.  Display only."""

from __future__ import annotations

from datetime import date


def yuan(fen: int) -> str:
    """`1230` → `"12.30"`, `1200` → `"12"`; negative amounts keep their sign."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}" if cents == 0 else f"{sign}{whole}.{cents:02d}"


def price_text(fen: int) -> str:
    return f"¥{yuan(fen)}"


def date_range(starts_on: date, ends_on: date) -> str:
    """`6月1日 - 6月18日`, with years when the range crosses one."""
    if starts_on.year != ends_on.year:
        return f"{starts_on.year}年{starts_on.month}月{starts_on.day}日 - {ends_on.year}年{ends_on.month}月{ends_on.day}日"
    return f"{starts_on.month}月{starts_on.day}日 - {ends_on.month}月{ends_on.day}日"
