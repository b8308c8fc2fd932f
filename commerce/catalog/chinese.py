"""Chinese text for catalog search: normalisation, tokens, pinyin and initials.

Everything here is pure and cached.  The jieba tokenizer is a private instance
(the NLU has its own) that learns catalog words via `learn_words`.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import jieba
import opencc
from pypinyin import Style, lazy_pinyin

_T2S = opencc.OpenCC("t2s")
_UNIT_ALIASES = (("千克", "kg"), ("公斤", "kg"), ("毫升", "ml"), ("克", "g"))
_ASCII_RUN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")
_tokenizer: jieba.Tokenizer | None = None
_tokenizer_lock = threading.Lock()
_learned: set[str] = set()


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


@lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """Full-width → half-width, traditional → simplified, lower case, whitespace collapsed."""
    folded = unicodedata.normalize("NFKC", text or "").lower()
    if any(is_cjk(ch) for ch in folded):
        folded = _T2S.convert(folded)
    return " ".join(folded.split())


def normalise_units(text: str) -> str:
    """`500克` → `500g`, `1公斤` → `1kg` (spec values and hints compare in one spelling)."""
    for word, unit in _UNIT_ALIASES:
        text = text.replace(word, unit)
    return text


def tokenizer() -> jieba.Tokenizer:
    global _tokenizer
    if _tokenizer is None:
        with _tokenizer_lock:
            if _tokenizer is None:
                jieba.setLogLevel(60)
                tok = jieba.Tokenizer()
                tok.initialize()
                _tokenizer = tok
    return _tokenizer


def learn_words(words: list[str]) -> bool:
    """Teach the search tokenizer catalog words (product names, categories, tags); True if any was new."""
    tok = tokenizer()
    new = False
    for word in words:
        word = normalise(word)
        if len(word) >= 2 and word not in _learned and " " not in word:
            tok.add_word(word, freq=2000)
            _learned.add(word)
            new = True
    if new:
        cut_words.cache_clear()
    return new


@lru_cache(maxsize=8192)
def cut_words(text: str) -> tuple[str, ...]:
    """Search-mode tokens of normalised text (overlapping sub-words included), blanks dropped."""
    return tuple(t for t in (w.strip() for w in tokenizer().cut_for_search(text)) if t)


@lru_cache(maxsize=16384)
def syllables(text: str) -> tuple[str, ...]:
    """Toneless pinyin per CJK character; ASCII runs are kept as one "syllable"."""
    out: list[str] = []
    for part in re.split(r"([\u3400-\u4dbf\u4e00-\u9fff]+)", text):
        if not part:
            continue
        if is_cjk(part[0]):
            out.extend(lazy_pinyin(part, style=Style.NORMAL, errors="ignore"))
        else:
            out.extend(_ASCII_RUN.findall(part))
    return tuple(s for s in out if s)


def pinyin(text: str) -> str:
    """`赣南脐橙` → `gannanqicheng`."""
    return "".join(syllables(text))


def initials(text: str) -> str:
    """`赣南脐橙` → `gnqc` (only over the Chinese characters)."""
    return "".join(lazy_pinyin(ch, style=Style.FIRST_LETTER, errors="ignore")[0] if is_cjk(ch) else ""
                   for ch in text if is_cjk(ch))


def has_cjk(text: str) -> bool:
    return any(is_cjk(ch) for ch in text)


def ascii_runs(text: str) -> list[str]:
    return _ASCII_RUN.findall(text)


def contains_word(hay: str, needle: str) -> bool:
    """Substring test that does not glue ASCII letters/digits: `xl` not in `xxl`, `5斤` not in `15斤`."""
    if not needle:
        return False
    start = hay.find(needle)
    while start >= 0:
        end = start + len(needle)
        before_ok = start == 0 or not (_is_alnum(hay[start - 1]) and _is_alnum(needle[0]))
        after_ok = end == len(hay) or not (_is_alnum(hay[end]) and _is_alnum(needle[-1]))
        if before_ok and after_ok:
            return True
        start = hay.find(needle, start + 1)
    return False


def _is_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()
