"""A number with its unit is one search term: 「1段」 must not match 「3段」 through 段 and a stray 1."""

from __future__ import annotations

import pytest

from commerce.catalog.query import parse_query


@pytest.mark.parametrize(("query", "terms"), [
    ("1段", ["1段"]), ("有机奶粉3段", ["有机", "奶粉", "3段"]), ("苹果5斤", ["苹果", "5斤"]),
    ("240ml奶瓶", ["240ml", "奶瓶"]), ("10斤装脐橙", ["10斤装", "脐橙"]), ("脐橙", ["脐橙"]),
])
def test_measured_amounts_stay_whole(query: str, terms: list[str]) -> None:
    assert [t.text for t in parse_query(query)] == terms
