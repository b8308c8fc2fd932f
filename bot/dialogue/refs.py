"""Resolving references to what was shown: 「2」「第二个」「最后一个」 → an item of the last list."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypeVar

from nlu.numerals import CN_CHARS, parse_int

T = TypeVar("T")

_ORDINAL = re.compile(rf"^(?:第|要|选|看)?\s*(?P<n>[0-9]{{1,3}}|[{CN_CHARS}]{{1,3}})\s*(?:个|款|件|种|号|项)?$")
_LAST = re.compile(r"^(?:要|选|看)?(?:最后|倒数第一)(?:一|那|这)?(?:个|款|件|种)?$")
_QUESTION_TAIL = re.compile(r"[\s!！?？。.,，~～吧呢啊呀]+$")


def bare_ordinal(text: str) -> int | None:
    """The position a short reply points at: 「2」「第二个」「要3」 → 2/2/3, 「最后一个」 → -1; else None."""
    text = _QUESTION_TAIL.sub("", text.strip())
    if _LAST.match(text):
        return -1
    match = _ORDINAL.match(text)
    if not match:
        return None
    value = parse_int(match.group("n"))
    return value if value is not None and value > 0 else None


def pick(items: Sequence[T], index: int) -> T | None:
    """1-based position, -1 = last, -2 = 倒数第二个; None when out of range."""
    if -len(items) <= index <= -1:
        return items[index]
    if 1 <= index <= len(items):
        return items[index - 1]
    return None
