"""Text normalisation that keeps offsets: output[i] corresponds to input[i].

Full-width → half-width, traditional → simplified (OpenCC t2s), lower case,
control characters and emoji/symbols → space.  Everything is one character in,
one character out, so entity offsets found on the normalised text are valid on
the original (truncated) text.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import opencc

MAX_CHARS = 300  # longer input is truncated: messages are short, parse must stay fast
_CONVERTER = opencc.OpenCC("t2s")
_BLANK_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "So", "Sk", "Zl", "Zp", "Zs", "Mn", "Me"}
_KEEP_MARKS = {"\u3007"}  # 〇 is a numeral
_EMOJI_WORDS = {"👍": "好", "👌": "好", "🙏": "谢", "🛒": "车", "❤": "爱", "💰": "钱", "🧧": "红"}


@lru_cache(maxsize=16384)
def _fold_char(ch: str) -> str:
    code = ord(ch)
    if code == 0x3000:
        return " "
    if 0xFF01 <= code <= 0xFF5E:
        ch = chr(code - 0xFEE0)
    if ch in _KEEP_MARKS:
        return ch
    if ch in _EMOJI_WORDS:  # a few emoji are words in chat: 👍 = 好
        return _EMOJI_WORDS[ch]
    if unicodedata.category(ch) in _BLANK_CATEGORIES or 0x1F000 <= code <= 0x1FAFF:
        return " "
    low = ch.lower()
    return low if len(low) == 1 else ch


@lru_cache(maxsize=16384)
def _simplify_char(ch: str) -> str:
    out = _CONVERTER.convert(ch)
    return out if len(out) == 1 else ch


@lru_cache(maxsize=4096)
def _is_traditional(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" and _simplify_char(ch) != ch


def truncate(text: str) -> str:
    return text[:MAX_CHARS]


def normalize(text: str) -> str:
    """Normalise `text` (already truncated) to a same-length simplified, lower-case string."""
    folded = "".join(_fold_char(ch) for ch in text)
    if not any(_is_traditional(ch) for ch in folded):
        return folded
    phrase = _CONVERTER.convert(folded)  # phrase-level conversion is better when lengths agree
    if len(phrase) == len(folded):
        return phrase
    return "".join(_simplify_char(ch) for ch in folded)


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or ch == "\u3007"
