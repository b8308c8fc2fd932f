"""Toneless pinyin per character, cached: features and fuzzy matching that survive homophone typos."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from nlu.normalize import is_cjk


@lru_cache(maxsize=32768)
def char_pinyin(ch: str) -> str:
    """`橙` → `cheng`; a non-Chinese character, or one pypinyin has no reading for (鿖), maps to itself."""
    if not is_cjk(ch):
        return ch
    readings = lazy_pinyin(ch, style=Style.NORMAL, errors="ignore")
    return readings[0] if readings else ch


def word_pinyin(word: str) -> str:
    return " ".join(char_pinyin(ch) for ch in word)


_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r", "z", "c",
             "s", "y", "w", "")
_FINALS = ("iang", "iong", "uang", "ang", "eng", "ing", "ong", "ian", "iao", "uai", "uan", "van", "ai", "ei", "ui",
           "ao", "ou", "iu", "ie", "ve", "ue", "er", "an", "en", "in", "un", "vn", "ia", "ua", "uo", "a", "o", "e",
           "i", "u", "v")
SYLLABLES = frozenset(i + f for i in _INITIALS for f in _FINALS if i or f[0] in "aoe")
_LONGEST = max(map(len, SYLLABLES))
MAX_PINYIN_WORD = 24  # longer Latin runs are not someone typing a Chinese word


def split_pinyin(word: str) -> list[str] | None:
    """`kuaidi` → [kuai, di]; None unless the whole word is toneless pinyin of at least two syllables.

    Greedy longest-first with backtracking, so users typing pinyin for a word
    (kuaidi到哪了, zai ma, gouwuche) share pinyin features with the Chinese.
    """
    if not 3 <= len(word) <= MAX_PINYIN_WORD:
        return None
    out = _split(word, 0)
    return list(out) if out and len(out) >= 2 else None


@lru_cache(maxsize=8192)
def _split(word: str, start: int) -> tuple[str, ...] | None:
    """Memoised on (word, start), so backtracking stays linear in the word's length."""
    if start == len(word):
        return ()
    for size in range(min(_LONGEST, len(word) - start), 0, -1):
        piece = word[start:start + size]
        if piece in SYLLABLES:
            rest = _split(word, start + size)
            if rest is not None:
                return (piece, *rest)
    return None
