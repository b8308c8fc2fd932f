from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commerce.money import MoneyFormatError, allocate, apply_rate_bp, fen_to_yuan_str, yuan_to_fen


class TestYuanToFen:
    @pytest.mark.parametrize(("text", "fen"), [("12.3", 1230), ("0.01", 1), ("¥99", 9900), ("1,299.50", 129950)])
    def test_parses_exactly(self, text: str, fen: int) -> None:
        assert yuan_to_fen(text) == fen

    @pytest.mark.parametrize("text", ["1.234", "abc", "", "NaN"])
    def test_rejects_bad_amounts(self, text: str) -> None:
        with pytest.raises(MoneyFormatError):
            yuan_to_fen(text)


@given(st.integers(0, 10**9), st.integers(0, 10_000))
def test_rate_rounds_down_and_never_exceeds_the_rate(amount: int, bp: int) -> None:
    fen = apply_rate_bp(amount, bp)
    assert fen * 10_000 <= amount * bp < (fen + 1) * 10_000


@given(st.integers(0, 10**9), st.lists(st.integers(0, 10**6), min_size=1, max_size=20))
def test_allocation_parts_add_up_to_the_whole(total: int, weights: list[int]) -> None:
    parts = allocate(total, weights)
    assert sum(parts) == (total if sum(weights) > 0 else 0)
    assert all(p >= 0 for p in parts)


def test_fen_formats_as_yuan() -> None:
    assert fen_to_yuan_str(1230) == "12.30"
    assert fen_to_yuan_str(-5) == "-0.05"
