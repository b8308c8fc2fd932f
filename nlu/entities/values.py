"""Normalise an entity value found by someone else (a Rasa server, a test file) our way."""

from __future__ import annotations

from nlu.entities.patterns import INDEX, INDEX_LAST, INDEX_NUMBER
from nlu.normalize import normalize
from nlu.numerals import parse_int, yuan_to_fen
from nlu.types import Normalized

_UPPER = frozenset({"order_no", "tracking_no", "spec"})


def normalize_value(entity: str, value: str) -> Normalized:
    """`quantity` "两" → 2, `price_max` "200" → 20000 (fen), `index` "第二个" → 2, ids upper-cased."""
    text = normalize(value.strip())
    if entity in ("quantity", "amount"):
        return parse_int(text.rstrip("块元钱个件"))
    if entity in ("price_min", "price_max"):
        return yuan_to_fen(text.rstrip("块元钱"))
    if entity == "index":
        return _index(text)
    if entity in _UPPER:
        return value.strip().replace(" ", "").upper() if value.isascii() else value.strip()
    return value.strip()


def _index(text: str) -> int | None:
    last = INDEX_LAST.search(text)
    if last:
        return -(parse_int(last.group("v")) or 1) if last.group("v") else -1
    for pattern in (INDEX, INDEX_NUMBER):
        match = pattern.search(text)
        if match:
            return parse_int(match.group("v"))
    return parse_int(text)
