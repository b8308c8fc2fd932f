"""Phrasings real shoppers use that the first model missed: rough prices, dozens, bare filters, pinyin, chit-chat."""

from __future__ import annotations

import pytest

from nlu.embedded import EmbeddedInterpreter
from nlu.pinyin import split_pinyin
from nlu.types import Parse


def prices(parse: Parse) -> list[tuple[str, str, object]]:
    return [(e.entity, e.value, e.normalized) for e in parse.entities if e.entity.startswith("price")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("三百块左右的面膜", [("price_min", "三百", 24000), ("price_max", "三百", 36000)]),
        ("一两百的口红", [("price_min", "一两百", 10000), ("price_max", "一两百", 20000)]),
        ("二三十块的", [("price_min", "二三十", 2000), ("price_max", "二三十", 3000)]),
        ("千把块的羽绒服", [("price_min", "千", 80000), ("price_max", "千", 120000)]),
        ("1000块上下", [("price_min", "1000", 80000), ("price_max", "1000", 120000)]),
        ("100~200的卫衣", [("price_min", "100", 10000), ("price_max", "200", 20000)]),
        ("2百以内", [("price_max", "2百", 20000)]),
        ("不超过两百的", [("price_max", "两百", 20000)]),
    ],
)
def test_rough_and_ranged_prices_become_both_bounds_in_fen(
    interpreter: EmbeddedInterpreter, text: str, expected: list
) -> None:
    assert prices(interpreter.parse(text)) == expected


@pytest.mark.parametrize(("text", "value"), [("来一打", 12), ("要半打", 6), ("这个来两打", 24), ("来两三件", 2)])
def test_dozens_and_neighbouring_numerals_are_sensible_quantities(
    interpreter: EmbeddedInterpreter, text: str, value: int
) -> None:
    assert interpreter.parse(text).value("quantity") == value


def test_a_first_time_is_not_an_index(interpreter: EmbeddedInterpreter) -> None:
    assert interpreter.parse("第一次用 不知道怎么弄").first("index") is None
    assert interpreter.parse("第十一个").value("index") == 11


def test_rough_amount_when_withdrawing_is_the_middle_in_yuan(interpreter: EmbeddedInterpreter) -> None:
    assert interpreter.parse("提现两三百").value("amount") == 250


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("500以上的", "search_product"),
        ("便宜点的", "search_product"),
        ("有没有更便宜的", "search_product"),
        ("有什么颜色", "product_detail"),
        ("有哪些尺码", "product_detail"),
        ("能提现的有多少", "commission_query"),
        ("怎么做红烧肉", "out_of_scope"),
        ("kuaidi到哪了", "track_logistics"),
        ("tks", "thanks"),
    ],
)
def test_known_weak_spots_get_the_right_intent(interpreter: EmbeddedInterpreter, text: str, intent: str) -> None:
    assert interpreter.parse(text).intent == intent


def test_a_bare_price_filter_is_confident_and_gibberish_is_not_a_shop_intent(
    interpreter: EmbeddedInterpreter,
) -> None:
    assert interpreter.parse("200以内").confidence >= interpreter.threshold
    assert interpreter.parse("qwzxv").intent == "out_of_scope"


def test_latin_pinyin_splits_into_syllables_and_english_does_not() -> None:
    assert split_pinyin("gouwuche") == ["gou", "wu", "che"]
    assert split_pinyin("thanks") is None
    assert split_pinyin("xian") is None  # one syllable: too ambiguous to read as pinyin
