"""Promo copy for distributors to forward: templates filled with product facts.

Templates live in `copy_templates.yml` by category and tone (朋友圈, 群聊,
私聊); each filled copy ends with the distributor's short link.  Copy is
refused (`ForbiddenCopy`) if it contains words banned by advertising law —
the templates never do, so a refusal means merchant-written facts (name,
selling points) carry the claim and the merchant must rephrase them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from posters.display import price_text
from posters.forbidden_words import ForbiddenCopy, check_forbidden, ensure_allowed

__all__ = ["CopyFacts", "ForbiddenCopy", "Tone", "all_templates", "category_key", "check_forbidden", "promo_copies", "promo_copy",
           "templates"]

TEMPLATE_FILE = Path(__file__).resolve().parent / "copy_templates.yml"
DEFAULT_CATEGORY = "default"


class Tone(StrEnum):
    MOMENTS = "朋友圈"
    GROUP = "群聊"
    PRIVATE = "私聊"


@dataclass(frozen=True)
class CopyFacts:
    name: str
    price_fen: int
    short_link: str
    category: str = ""
    selling_points: tuple[str, ...] | list[str] = ()
    original_price_fen: int | None = None  # only a real previous price
    shop_name: str = ""


@lru_cache(maxsize=1)
def _document() -> dict[str, Any]:
    with TEMPLATE_FILE.open(encoding="utf-8") as fh:
        doc: dict[str, Any] = yaml.safe_load(fh)["categories"]
    return doc


def category_key(category: str) -> str:
    """The template group for a catalog category name (`水果生鲜` → `food`), else `default`."""
    for key, group in _document().items():
        if any(word in category for word in group.get("match", [])):
            return str(key)
    return DEFAULT_CATEGORY


def templates(category: str, tone: Tone) -> list[str]:
    group = _document()[category_key(category)]
    return list(group.get(tone.value) or _document()[DEFAULT_CATEGORY][tone.value])


def all_templates() -> list[str]:
    """Every shipped template (for checks such as the forbidden-words test)."""
    return [t for group in _document().values() for tone in Tone for t in group.get(tone.value) or []]


def promo_copy(facts: CopyFacts, tone: Tone = Tone.MOMENTS, variant: int = 0) -> str:
    """One filled copy (`variant` picks among the tone's templates, wrapping around)."""
    options = templates(facts.category, tone)
    body = options[variant % len(options)].format_map(_slots(facts)).strip().rstrip("，")
    return ensure_allowed(f"{body}\n{facts.short_link}")


def promo_copies(facts: CopyFacts) -> dict[Tone, list[str]]:
    """Every template of the category, filled, by tone."""
    return {tone: [promo_copy(facts, tone, i) for i in range(len(templates(facts.category, tone)))]
            for tone in Tone}


def _slots(facts: CopyFacts) -> dict[str, str]:
    points = [p.strip() for p in facts.selling_points if p and p.strip()]
    was = f"原价{price_text(facts.original_price_fen)}，" if facts.original_price_fen is not None else ""
    return {
        "name": facts.name.strip(),
        "price": price_text(facts.price_fen),
        "was": was,
        "point": points[0] if points else "品质有保障",
        "points": "，".join(points) if points else "品质有保障",
        "shop_name": facts.shop_name or "本店",
    }
