from __future__ import annotations

import pytest

from nlu.numerals import parse_int, parse_number, yuan_to_fen


@pytest.mark.parametrize(
    ("text", "value"),
    [("两", 2), ("俩", 2), ("十", 10), ("十五", 15), ("三十五", 35), ("一百", 100), ("两百", 200),
     ("一百五", 150), ("一百零五", 105), ("一千二", 1200), ("二百五十", 250), ("一万五", 15000),
     ("3千", 3000), ("1.5k", 1500), ("2w", 20000), ("1万", 10000), ("100", 100), ("12", 12),
     ("贰", 2), ("叁佰", 300), ("壹佰伍拾", 150)],
)
def test_chinese_and_arabic_numbers_are_read_as_shoppers_mean_them(text: str, value: int) -> None:
    assert parse_int(text) == value


def test_decimal_yuan_converts_exactly_to_fen() -> None:
    assert yuan_to_fen("12.5") == 1250
    assert yuan_to_fen("两百") == 20000


@pytest.mark.parametrize("text", ["", "abc", "个", "第"])
def test_non_numbers_are_none(text: str) -> None:
    assert parse_number(text) is None
