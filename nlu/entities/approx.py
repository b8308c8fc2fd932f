"""Approximate prices and dozens: 三百块左右, 一两百, 百来块, 千把块, 两三百的; 一打 (12), 半打 (6).

An approximate price is one span carrying both bounds: `Candidate("price_about",
…, normalized=(min_fen, max_fen))`; `finalize` turns it into a price_min and a
price_max entity on the same span, so the dialogue's filters work unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from nlu.entities.patterns import MONEY, NB, P_PRICE, P_QUANTITY, Candidate
from nlu.numerals import NUMBER_PATTERN, parse_int, yuan_to_fen

PRICE_ABOUT = "price_about"
_D = "一二两三四五六七八九"
_SPAN_END = rf"(?:\s*{MONEY}|(?=\s*(?:的|左右|上下|之间|价位|价格|以内|$|[\s,，.。?？!！~])))"
# 一两百 / 两三百 / 二三十 / 七八十块: two neighbouring digits before one unit
NEIGHBOURS = re.compile(rf"(?<![第\d.{_D}十百千万])(?P<v>(?P<a>[{_D}])(?P<b>[{_D}])(?P<u>[十百千万]))(?:来|多)?{_SPAN_END}")
AROUND = re.compile(rf"{NB}(?P<v>{NUMBER_PATTERN})\s*{MONEY}?\s*(?:钱)?\s*(?:左右|上下|附近|差不多)")
ROUGHLY = re.compile(rf"(?<![第\d.{_D}])(?P<v>[{_D}]?[十百千万])(?:来|把)\s*{MONEY}")
DOZEN = re.compile(rf"{NB}(?P<v>(?:{NUMBER_PATTERN}|半)\s*打)(?!折|包|开|电话|车|算|扰|印|卡|针|游戏)")
AROUND_LOW, AROUND_HIGH = 8, 12  # tenths: 三百左右 → 240–360


def approximate_prices(norm: str) -> Iterator[Candidate]:
    for m in NEIGHBOURS.finditer(norm):
        a, b = parse_int(m.group("a")), parse_int(m.group("b"))
        unit = parse_int(m.group("u")) or 1
        if a is not None and b is not None and b == a + 1:
            yield Candidate(PRICE_ABOUT, m.start("v"), m.end("v"), (a * unit * 100, b * unit * 100), P_PRICE + 2)
    for pattern in (AROUND, ROUGHLY):
        for m in pattern.finditer(norm):
            fen = yuan_to_fen(m.group("v"))
            if fen:
                bounds = (fen * AROUND_LOW // 10, fen * AROUND_HIGH // 10)
                yield Candidate(PRICE_ABOUT, m.start("v"), m.end("v"), bounds, P_PRICE + 1)


def dozens(norm: str) -> Iterator[Candidate]:
    for m in DOZEN.finditer(norm):
        count = m.group("v")[:-1].strip()
        value = 6 if count == "半" else (parse_int(count) or 0) * 12
        if 0 < value < 10000:
            yield Candidate("quantity", m.start("v"), m.end("v"), value, P_QUANTITY + 5)

