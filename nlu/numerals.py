"""Numbers written the way shoppers write them: 两, 三十五, 一百五, 贰, 1.5k, 2w, 3千, 2百."""

from __future__ import annotations

import re

DIGITS = {"零": 0, "〇": 0, "一": 1, "幺": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "仨": 3, "四": 4,
          "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
          # 大写 (banker's numerals), typed by some older shoppers: 贰箱, 叁佰元
          "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9}
UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000, "拾": 10, "佰": 100, "仟": 1000}
CN_CHARS = "".join(DIGITS) + "".join(UNITS)
# a number: arabic with optional decimals and k/w/千/万 suffix, or a run of Chinese numerals
NUMBER_PATTERN = rf"(?:\d+(?:\.\d+)?\s?(?:k|w|千|万|百)?(?![\d.])|[{CN_CHARS}]+)"
_ARABIC = re.compile(r"^(\d+(?:\.\d+)?)\s?(k|w|千|万|百)?$")
_SUFFIX = {"k": 1000, "w": 10000, "百": 100, "千": 1000, "万": 10000}


def _chinese(text: str) -> int | None:
    if not text or any(ch not in DIGITS and ch not in UNITS for ch in text):
        return None
    if all(ch in DIGITS for ch in text):  # 一二三 read digit by digit (rare, but 幺零 etc.)
        return int("".join(str(DIGITS[ch]) for ch in text)) if len(text) > 1 else DIGITS[text]
    total, section, digit, last_unit = 0, 0, None, None
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
            continue
        unit = UNITS[ch]
        if unit == 10000:
            total += (section + (digit or 0)) * unit
            section, digit, last_unit = 0, None, unit
            continue
        section += (1 if digit is None else digit) * unit
        digit, last_unit = None, unit
    if digit is not None:  # 一百五 = 150, 一千二 = 1200, 三十五 = 35
        section += digit * (last_unit // 10 if last_unit and last_unit > 10 and text[-2] not in "零〇" else 1)
    return total + section


def parse_number(text: str) -> float | None:
    """The value of one number token, or None.  `1.5k` → 1500.0, `两` → 2.0."""
    text = text.strip().lower()
    match = _ARABIC.match(text)
    if match:
        value = float(match.group(1))
        return value * _SUFFIX[match.group(2)] if match.group(2) else value
    if text and text[-1] in "千万" and text[:-1] and _ARABIC.match(text[:-1]):
        return float(text[:-1]) * UNITS[text[-1]]
    value = _chinese(text)
    return float(value) if value is not None else None


def parse_int(text: str) -> int | None:
    value = parse_number(text)
    return int(round(value)) if value is not None else None


def yuan_to_fen(text: str) -> int | None:
    value = parse_number(text)
    return int(round(value * 100)) if value is not None else None
