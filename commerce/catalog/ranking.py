"""Relevance of a product to a query: coarse integer tiers per term, so ties fall through to sales.

A product's relevance is (terms matched, sum of each term's best tier).  Tiers are
deliberately few: two products that both have `橙` in their name are equally
relevant to `橙`, and then the better seller comes first.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz

from commerce.catalog.chinese import contains_word
from commerce.catalog.indexing import Phrase, SearchEntry
from commerce.catalog.query import Term

NAME, ALIAS, PINYIN, CATEGORY, INITIALS, SUBTITLE, SPEC, FUZZY, BODY = 10, 8, 7, 6, 6, 5, 4, 4, 2
MIN_FUZZY_CJK = 3  # a 2-character typo is caught by pinyin (脐澄 → qicheng), not by edit distance
FUZZY_CJK_SCORE = 66  # one wrong character in three
FUZZY_PINYIN_SCORE = 85

Relevance = tuple[int, int]


def relevance(entry: SearchEntry, terms: tuple[Term, ...], *, fuzzy: bool = True) -> Relevance:
    """(terms matched, score); `fuzzy=False` skips edit-distance matching (the fast first pass)."""
    matched = score = 0
    for term in terms:
        tier = term_tier(entry, term, fuzzy=fuzzy)
        if tier:
            matched += 1
            score += tier
    return matched, score


def term_tier(entry: SearchEntry, term: Term, *, fuzzy: bool = True) -> int:
    tier = _literal_tier(entry, term)
    if tier >= PINYIN:
        return tier
    sound = _sound_tier(entry.phrases, term)
    return max(tier, sound, _fuzzy_tier(entry, term) if fuzzy and not (tier or sound) else 0)


def _literal_tier(entry: SearchEntry, term: Term) -> int:
    t = term.text
    found = contains_word if not term.cjk else _contains
    if found(entry.name, t):
        return NAME
    if any(found(a, t) for a in entry.aliases):
        return ALIAS
    if any(found(c, t) for c in entry.categories):
        return CATEGORY
    if found(entry.subtitle, t):
        return SUBTITLE
    if any(found(s, t) or (term.cjk and _spec_in_term(t, s)) for s in entry.specs):
        return SPEC
    if found(entry.body, t):
        return BODY
    return 0


def _spec_in_term(term: str, spec: str) -> bool:
    """「红色XL」 ∋ XL, 「红色」 ∋ 红; but a 1-character value inside another word is no match (白 ∉ 白茶)."""
    if len(spec) >= 2:
        return spec in term
    return term in (spec + "色", spec + "色的", spec + "的")


def _contains(hay: str, needle: str) -> bool:
    return needle in hay


def _sound_tier(phrases: Iterable[Phrase], term: Term) -> int:
    """Full pinyin aligned on syllables (`qicheng` in 赣南脐橙, homophone 脐澄), or initials (`cz`)."""
    sound = term.sound
    if len(sound) < 2 or (term.cjk and len(term.text) < 2) or not sound.isalpha():
        return 0
    best = 0
    for p in phrases:
        if _aligned(p, sound):
            return PINYIN
        if not term.cjk and sound in p.initials:
            best = INITIALS
    return best


def _aligned(p: Phrase, sound: str) -> bool:
    start = p.pinyin.find(sound)
    while start >= 0:
        end = start + len(sound)
        if start in p.starts and (end in p.starts or end == len(p.pinyin) or len(sound) >= 4):
            return True
        start = p.pinyin.find(sound, start + 1)
    return False


def _fuzzy_tier(entry: SearchEntry, term: Term) -> int:
    if term.cjk:
        if len(term.text) >= MIN_FUZZY_CJK and fuzz.partial_ratio(term.text, entry.name) >= FUZZY_CJK_SCORE:
            return FUZZY
        return 0
    if len(term.text) >= 5 and term.text.isalpha():
        for p in entry.phrases:
            if fuzz.partial_ratio(term.text, p.pinyin) >= FUZZY_PINYIN_SCORE:
                return FUZZY
    return 0
