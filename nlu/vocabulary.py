"""Lookup vocabularies (product, category, carrier, spec, reason, payout_method) and matching.

Exact matching is longest-first over the normalised text.  Fuzzy matching
catches typos of Chinese terms: a window with the same pinyin as a term
(脐澄 → 脐橙), or one substituted character in a term of 3+ characters.
Windows that are themselves common words (唯一 vs 卫衣) are not fuzzed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from nlu.normalize import is_cjk, normalize
from nlu.pinyin import char_pinyin, word_pinyin

MIN_FUZZY_LEN = 2
MAX_FUZZY_LEN = 6
FUZZY_TYPES = frozenset({"product", "category"})


@dataclass(frozen=True)
class Match:
    entity: str
    start: int
    end: int
    canonical: str
    fuzzy: bool = False


def _is_ascii_word(term: str) -> bool:
    return all(ord(ch) < 128 for ch in term)


class Vocabulary:
    """Surface → (entity type, canonical value) with exact and fuzzy lookup."""

    def __init__(self, is_common_word: Callable[[str], bool] = lambda w: False) -> None:
        self._terms: dict[str, tuple[str, str]] = {}
        self._lengths: list[int] = []
        self._by_pinyin: dict[str, tuple[str, str, str] | None] = {}
        self._by_wildcard: dict[str, tuple[str, str, str] | None] = {}
        self._is_common_word = is_common_word
        self._fuzzy_chars: set[str] = set()
        self._fuzzy_lengths: list[int] = []

    def __contains__(self, surface: str) -> bool:
        return normalize(surface) in self._terms

    def terms(self, entity: str) -> list[str]:
        return [s for s, (e, _) in self._terms.items() if e == entity]

    def entries(self, entity: str) -> list[tuple[str, str]]:
        """(normalised surface, canonical) pairs of one entity type."""
        return [(s, c) for s, (e, c) in self._terms.items() if e == entity]

    def add(self, entity: str, surface: str, canonical: str | None = None, *, override: bool = True) -> None:
        key = normalize(surface.strip())
        if not key.strip() or (not override and key in self._terms):
            return
        self._terms[key] = (entity, canonical if canonical is not None else surface.strip())

    def add_many(self, entity: str, surfaces: Iterable[str]) -> None:
        for surface in surfaces:
            self.add(entity, surface)

    def rebuild(self) -> None:
        """Recompute the length list and fuzzy indexes after adding terms."""
        self._lengths = sorted({len(k) for k in self._terms}, reverse=True)
        self._fuzzy_lengths = [n for n in self._lengths if MIN_FUZZY_LEN <= n <= MAX_FUZZY_LEN]
        self._by_pinyin.clear()
        self._by_wildcard.clear()
        self._fuzzy_chars = set()
        for key, target in self._terms.items():
            if target[0] not in FUZZY_TYPES or len(key) < MIN_FUZZY_LEN or not all(map(is_cjk, key)):
                continue
            _put_unique(self._by_pinyin, word_pinyin(key), (*target, key))
            self._fuzzy_chars.update(key)
            if len(key) >= 3:
                for i in range(len(key)):
                    _put_unique(self._by_wildcard, key[:i] + "?" + key[i + 1:], (*target, key[i]))

    def find(self, norm: str, taken: list[bool]) -> list[Match]:
        """Non-overlapping exact matches (longest first), then fuzzy ones, on `norm`."""
        found = self._exact(norm, taken)
        found += self._fuzzy(norm, taken)
        return found

    def _exact(self, norm: str, taken: list[bool]) -> list[Match]:
        found: list[Match] = []
        i, n = 0, len(norm)
        while i < n:
            hit = None
            if not taken[i] and not norm[i].isspace():
                for length in self._lengths:
                    if i + length > n or any(taken[i:i + length]):
                        continue
                    target = self._terms.get(norm[i:i + length])
                    if target and _boundaries_ok(norm, i, i + length):
                        hit = Match(target[0], i, i + length, target[1])
                        break
            if hit:
                found.append(hit)
                _mark(taken, hit.start, hit.end)
                i = hit.end
            else:
                i += 1
        return found

    def _fuzzy(self, norm: str, taken: list[bool]) -> list[Match]:
        if not self._fuzzy_lengths:
            return []
        # per position: usable (free CJK) and "a character some term uses"; prefix sums prune windows fast
        usable = [not t and is_cjk(ch) for ch, t in zip(norm, taken, strict=True)]
        known = [0]
        for ch in norm:
            known.append(known[-1] + (ch in self._fuzzy_chars))
        syllables: list[str] | None = None
        found: list[Match] = []
        for length in self._fuzzy_lengths:
            for i in range(0, len(norm) - length + 1):
                hits = known[i + length] - known[i]
                if hits == 0:
                    continue
                if not all(usable[i:i + length]):
                    continue
                if syllables is None:
                    syllables = [char_pinyin(ch) for ch in norm]
                target = self._fuzzy_target(norm[i:i + length], syllables[i:i + length], hits)
                if target:
                    found.append(Match(target[0], i, i + length, target[1], fuzzy=True))
                    for j in range(i, i + length):
                        usable[j] = False
                        taken[j] = True
        return found

    def _fuzzy_target(self, window: str, syllables: list[str], hits: int) -> tuple[str, str] | None:
        if self._is_common_word(window):
            return None
        sound = self._by_pinyin.get(" ".join(syllables))
        if sound and any(a == b for a, b in zip(window, sound[2], strict=True)):
            return sound[:2]  # same sound and at least one same character: 脐澄 → 脐橙, not 以付 → 衣服
        if len(window) >= 3 and hits >= len(window) - 1:
            for i in range(len(window)):
                typo = self._by_wildcard.get(window[:i] + "?" + window[i + 1:])
                if typo and _sounds_alike(window[i], typo[2]):
                    return typo[:2]
        return None


def _put_unique(index: dict[str, Any], key: str, target: tuple[str, ...]) -> None:
    if key in index and index[key] != target:
        index[key] = None  # ambiguous: never guess between two terms
    else:
        index[key] = target


def _sounds_alike(a: str, b: str) -> bool:
    """A likely typo: same initial letter or same final (挑 tiao ~ 桃 tao), not 好 ~ 乳."""
    pa, pb = char_pinyin(a), char_pinyin(b)
    return pa[:1] == pb[:1] or pa[-2:] == pb[-2:]


def _boundaries_ok(norm: str, start: int, end: int) -> bool:
    """ASCII terms must not be glued to other letters/digits (`m` inside `mm`)."""
    term = norm[start:end]
    if not _is_ascii_word(term):
        return True
    before = norm[start - 1] if start else " "
    after = norm[end] if end < len(norm) else " "
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())


def _mark(taken: list[bool], start: int, end: int) -> None:
    for j in range(start, end):
        taken[j] = True
