"""Run every entity rule, keep the best non-overlapping candidates, then apply intent context.

Numbers mean different things in different intents: `提现100` is an amount,
`来100个` a quantity.  `extract` is intent-agnostic (its output also masks the
text for the intent classifier); `finalize` applies the intent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from nlu.entities.approx import PRICE_ABOUT, approximate_prices, dozens
from nlu.entities.patterns import NB, Candidate, identifiers, indexes, prices, quantities, specs
from nlu.numerals import NUMBER_PATTERN, parse_int
from nlu.types import Entity
from nlu.vocabulary import Vocabulary

P_LOOKUP, P_NUMBER = 75, 10
NUMBER = re.compile(rf"{NB}(?P<v>{NUMBER_PATTERN})\s*(?P<unit>块钱|块|元|rmb)?")
REASON = re.compile(r"(?:因为|由于|原因是|理由是|理由:|原因:)\s*(?P<v>[^,，.。!！?？~]{2,14})")
CART_INTENTS = frozenset({"add_to_cart", "remove_from_cart", "checkout"})
NOT_SHOPPING = frozenset({"greet", "goodbye", "thanks", "help", "out_of_scope", "points_query", "coupon_query",
                          "commission_query", "withdraw", "member_info", "get_promo_copy", "become_distributor"})
CONTEXT_ONLY = {
    "payout_method": frozenset({"withdraw", "commission_query"}),
    "reason": frozenset({"refund_request", "cancel_order"}),
    "amount": frozenset({"withdraw"}),
}


def extract(norm: str, vocabulary: Vocabulary) -> list[Candidate]:
    """All entity candidates on normalised text, resolved so that none overlap."""
    rules: list[Candidate] = [*identifiers(norm), *prices(norm), *approximate_prices(norm), *specs(norm),
                              *indexes(norm), *quantities(norm), *dozens(norm)]
    chosen = _resolve(rules, len(norm))
    taken = [False] * len(norm)
    for cand in chosen:
        for j in range(cand.start, cand.end):
            taken[j] = True
    for match in vocabulary.find(norm, taken):
        chosen.append(Candidate(match.entity, match.start, match.end, match.canonical, P_LOOKUP))
    chosen += _resolve([*_reasons(norm), *_numbers(norm)], len(norm), taken)
    return sorted(chosen, key=lambda c: c.start)


def finalize(text: str, candidates: Iterable[Candidate], intent: str) -> tuple[Entity, ...]:
    """Entities for `intent`: bare numbers become amounts when withdrawing, context-only types are dropped."""
    out: list[Entity] = []
    for cand in candidates:
        name = cand.entity
        if name == PRICE_ABOUT:
            out.extend(_about(text, cand, intent))
            continue
        if intent == "withdraw" and name in ("number", "price_max", "price_min", "quantity"):
            name = "amount"
        if name == "number":
            continue
        if name in CONTEXT_ONLY and intent not in CONTEXT_ONLY[name]:
            continue
        if name == "spec" and intent in NOT_SHOPPING:
            continue  # 一段文案 is not formula stage 1
        if name == "quantity" and cand.normalized == 1 and intent not in CART_INTENTS:
            continue  # 一个 is usually an article ("问一个问题"), not a quantity
        normalized = cand.normalized
        if name == "amount" and isinstance(normalized, int) and cand.entity in ("price_max", "price_min"):
            normalized = normalized // 100
        out.append(Entity(name, text[cand.start:cand.end], cand.start, cand.end, normalized))
    return tuple(out)


def _about(text: str, cand: Candidate, intent: str) -> list[Entity]:
    """One approximate price → price_min and price_max on the same span (an amount when withdrawing)."""
    surface = text[cand.start:cand.end]
    low, high = cand.normalized  # type: ignore[misc]
    if intent == "withdraw":
        return [Entity("amount", surface, cand.start, cand.end, (low + high) // 200)]
    return [Entity("price_min", surface, cand.start, cand.end, low),
            Entity("price_max", surface, cand.start, cand.end, high)]


def _resolve(cands: list[Candidate], n: int, taken: list[bool] | None = None) -> list[Candidate]:
    taken = taken if taken is not None else [False] * n
    chosen = []
    for cand in sorted(cands, key=lambda c: (-c.priority, -(c.end - c.start), c.start)):
        if any(taken[cand.start:cand.end]):
            continue
        for j in range(cand.start, cand.end):
            taken[j] = True
        chosen.append(cand)
    return chosen


def _reasons(norm: str) -> list[Candidate]:
    return [Candidate("reason", m.start("v"), m.end("v"), m.group("v").strip(), P_LOOKUP - 1)
            for m in REASON.finditer(norm)]


def _numbers(norm: str) -> list[Candidate]:
    out = []
    for m in NUMBER.finditer(norm):
        surface = m.group("v")
        if not surface[0].isdigit() and len(surface) < 2 and not m.group("unit"):
            continue
        value = parse_int(surface)
        if value:
            out.append(Candidate("number", m.start("v"), m.end("v"), value, P_NUMBER))
    return out
