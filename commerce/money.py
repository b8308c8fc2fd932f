"""Fen arithmetic.  Every amount is an int in fen; rates are basis points (1 bp = 0.01%).

Rounding rule (the only one in the codebase): rate maths rounds DOWN to the fen
(`ROUND_FLOOR` on a non-negative amount), so the shop never pays or charges a
fraction of a fen more than the configured rate.  Proportional splits use
`allocate` (largest remainder) so parts always add up to the whole.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

BP_DENOMINATOR = 10_000


class MoneyFormatError(ValueError):
    pass


def apply_rate_bp(amount_fen: int, rate_bp: int) -> int:
    """amount × rate, rounded down to the fen."""
    if amount_fen < 0 or rate_bp < 0:
        raise ValueError("amount and rate must be non-negative")
    return (amount_fen * rate_bp) // BP_DENOMINATOR


def proportional(amount_fen: int, part: int, whole: int) -> int:
    """amount × part / whole, rounded down (used for proportional claw-backs)."""
    if whole <= 0:
        return 0
    return (amount_fen * part) // whole


def allocate(total_fen: int, weights: list[int]) -> list[int]:
    """Split total over weights exactly (largest remainder); sum(result) == total."""
    if not weights:
        return []
    wsum = sum(weights)
    if wsum <= 0:
        return [0] * len(weights)
    raw = [total_fen * w for w in weights]
    parts = [r // wsum for r in raw]
    rest = total_fen - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] % wsum), i))
    for i in order[:rest]:
        parts[i] += 1
    return parts


def yuan_to_fen(text: str | int | float | Decimal) -> int:
    """Parse a yuan amount with at most 2 decimals into fen, exactly ("12.3" -> 1230)."""
    if isinstance(text, float):
        text = repr(text)
    try:
        d = Decimal(str(text).strip().replace(",", "").lstrip("¥￥"))
    except InvalidOperation:
        raise MoneyFormatError(f"not an amount: {text!r}") from None
    if not d.is_finite():
        raise MoneyFormatError(f"not an amount: {text!r}")
    if d.as_tuple().exponent < -2:  # type: ignore[operator]
        raise MoneyFormatError(f"more than 2 decimals: {text!r}")
    return int((d * 100).to_integral_value(rounding=ROUND_HALF_UP))


def fen_to_yuan_str(fen: int) -> str:
    """1230 -> '12.30' (display helpers in bot/texts.py build on this)."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


__all__ = [
    "BP_DENOMINATOR",
    "ROUND_FLOOR",
    "MoneyFormatError",
    "allocate",
    "apply_rate_bp",
    "fen_to_yuan_str",
    "proportional",
    "yuan_to_fen",
]
