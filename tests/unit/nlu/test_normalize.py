from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from nlu.normalize import MAX_CHARS, normalize, truncate


def test_traditional_characters_become_simplified() -> None:
    assert normalize("我想買兩件紅色的衣服") == "我想买两件红色的衣服"


def test_full_width_letters_digits_and_spaces_become_half_width_lower_case() -> None:
    assert normalize("ＡＢＣ１２３\u3000Hi") == "abc123 hi"


def test_emoji_and_control_characters_become_spaces_except_a_few_word_like_emoji() -> None:
    assert normalize("好😀\x00\t") == "好   "
    assert normalize("👍") == "好"


def test_long_input_is_truncated_before_parsing() -> None:
    assert len(truncate("啊" * 10_000)) == MAX_CHARS


@given(st.text(max_size=200))
def test_normalisation_keeps_every_offset(text: str) -> None:
    assert len(normalize(text)) == len(text)
