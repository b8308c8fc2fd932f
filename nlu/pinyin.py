"""Toneless pinyin per character, cached: features and fuzzy matching that survive homophone typos."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from nlu.normalize import is_cjk


@lru_cache(maxsize=32768)
def char_pinyin(ch: str) -> str:
    """`橙` → `cheng`; a non-Chinese character maps to itself."""
    if not is_cjk(ch):
        return ch
    return lazy_pinyin(ch, style=Style.NORMAL, errors="ignore")[0] if ch else ch


def word_pinyin(word: str) -> str:
    return " ".join(char_pinyin(ch) for ch in word)
