"""Which SKU a shopper means: `XL`, `红色`, `红色 XL`, `500克` → one SKU, or None when unsure."""

from __future__ import annotations

import re

from commerce.catalog.chinese import contains_word, normalise, normalise_units
from commerce.catalog.views import ProductView, SkuView

_SPLIT = re.compile(r"[\s,，、;；/|+]+")
_COLOR_SUFFIX = "色"
SIZE_WORDS = {"加大号": "xl", "加大码": "xl", "大号": "l", "大码": "l", "中号": "m", "中码": "m", "小号": "s", "小码": "s"}


def match_sku(product: ProductView, spec_hint: str | None) -> SkuView | None:
    """The SKU whose spec values the hint names best; None if several tie or none is named.

    A product with a single SKU returns it whatever the hint says.
    """
    if len(product.skus) == 1:
        return product.skus[0]
    if not spec_hint or not spec_hint.strip():
        return None
    hint = _norm(spec_hint)
    for sku in product.skus:
        if _norm(sku.code) == hint:
            return sku
    parts = [p.split(":")[-1] for p in _SPLIT.split(hint) if p]
    parts += [SIZE_WORDS[p] for p in parts if p in SIZE_WORDS]
    scored = [(_score(sku, hint, parts), sku) for sku in product.skus]
    best = max(score for score, _ in scored)
    if best[0] == 0:
        return None
    winners = [sku for score, sku in scored if score == best]
    return winners[0] if len(winners) == 1 else None


_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_AMOUNT = re.compile(r"([零一二两三四五六七八九十]{1,3})(?=\s*(?:斤|kg|g|ml|l|段|节|包|袋|盒|瓶|罐|支|片|粒|次|天|个月|岁|磅))")


def _cn_number(text: str) -> str:
    """「五」→5, 「十」→10, 「十五」→15, 「二十」→20 (spec amounts are small)."""
    if "十" not in text:
        return "".join(str(_CN_DIGITS[ch]) for ch in text)
    tens, _, ones = text.partition("十")
    return str((_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0))


def _norm(text: str) -> str:
    """Comparable spelling: 「五斤」 and 「5斤」, 「500克」 and 「500g」 are the same spec."""
    text = normalise_units(normalise(text)).replace("：", ":")
    return _CN_AMOUNT.sub(lambda m: _cn_number(m.group(1)), text)


def _score(sku: SkuView, hint: str, parts: list[str]) -> tuple[int, int]:
    """How many of the SKU's spec values the hint mentions, then how much of it (酒红 beats 红)."""
    named = [v for v in (_norm(v) for v in sku.spec.values()) if _mentions(v, hint, parts)]
    return len(named), sum(len(v) for v in named)


def _mentions(value: str, hint: str, parts: list[str]) -> bool:
    if not value:
        return False
    if contains_word(hint, value):
        return True
    bare = value.removesuffix(_COLOR_SUFFIX)
    return any(part == value or (len(bare) >= 1 and part.removesuffix(_COLOR_SUFFIX) == bare)
               for part in parts)
