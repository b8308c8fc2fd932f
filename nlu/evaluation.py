"""Evaluate an interpreter on a Rasa-format NLU test file.

Intent accuracy, macro-F1 and per-intent precision/recall; entity
precision/recall/F1 on exact (type, start, end); the most frequent confusion
pairs; parse latency p50/p99 in milliseconds.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from nlu.rasa_yaml import Example
from nlu.types import Interpreter, Parse


@dataclass
class Report:
    n: int
    intent_accuracy: float
    intent_macro_f1: float
    entity_precision: float
    entity_recall: float
    entity_f1: float
    latency_ms_p50: float
    latency_ms_p99: float
    per_intent: dict[str, dict[str, float]] = field(default_factory=dict)
    per_entity: dict[str, dict[str, float]] = field(default_factory=dict)
    confusions: list[tuple[str, str, int]] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if k != "errors"} | {"errors": self.errors[:50]}


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[rank]


def evaluate(interpreter: Interpreter, examples: Sequence[Example]) -> Report:
    for ex in examples[:20]:  # warm caches so latency reflects steady state
        interpreter.parse(ex.text)
    parses: list[Parse] = []
    latencies: list[float] = []
    for ex in examples:
        started = time.perf_counter()
        parses.append(interpreter.parse(ex.text))
        latencies.append((time.perf_counter() - started) * 1000)
    return _score(examples, parses, latencies)


def _score(examples: Sequence[Example], parses: Sequence[Parse], latencies: Sequence[float]) -> Report:
    counts: dict[str, Counter[str]] = {"tp": Counter(), "fp": Counter(), "fn": Counter()}
    ent_counts: dict[str, Counter[str]] = {"tp": Counter(), "fp": Counter(), "fn": Counter()}
    confusions: Counter[tuple[str, str]] = Counter()
    errors: list[dict[str, str]] = []
    for ex, parse in zip(examples, parses, strict=True):
        if parse.intent == ex.intent:
            counts["tp"][ex.intent] += 1
        else:
            counts["fp"][parse.intent] += 1
            counts["fn"][ex.intent] += 1
            confusions[(ex.intent, parse.intent)] += 1
            errors.append({"text": ex.text, "expected": ex.intent, "got": parse.intent})
        gold = {(e.entity, e.start, e.end) for e in ex.entities}
        pred = {(e.entity, e.start, e.end) for e in parse.entities}
        for key in gold & pred:
            ent_counts["tp"][key[0]] += 1
        for key in pred - gold:
            ent_counts["fp"][key[0]] += 1
        for key in gold - pred:
            ent_counts["fn"][key[0]] += 1
        if gold != pred:
            errors.append({"text": ex.text, "entities_expected": str(sorted(gold)), "entities_got": str(sorted(pred))})
    per_intent = _table(counts, {ex.intent for ex in examples})
    per_entity = _table(ent_counts, set().union(*ent_counts.values()))
    ep, er, ef = _prf(*(sum(ent_counts[k].values()) for k in ("tp", "fp", "fn")))
    n = len(examples)
    return Report(
        n=n,
        intent_accuracy=round(sum(counts["tp"].values()) / n, 4) if n else 0.0,
        intent_macro_f1=round(sum(v["f1"] for v in per_intent.values()) / len(per_intent), 4) if per_intent else 0.0,
        entity_precision=round(ep, 4), entity_recall=round(er, 4), entity_f1=round(ef, 4),
        latency_ms_p50=round(percentile(latencies, 50), 3), latency_ms_p99=round(percentile(latencies, 99), 3),
        per_intent=per_intent, per_entity=per_entity,
        confusions=[(a, b, c) for (a, b), c in confusions.most_common(15)], errors=errors,
    )


def _table(counts: dict[str, Counter[str]], labels: set[str]) -> dict[str, dict[str, float]]:
    table = {}
    for label in sorted(labels):
        p, r, f = _prf(counts["tp"][label], counts["fp"][label], counts["fn"][label])
        support = counts["tp"][label] + counts["fn"][label]
        table[label] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": support}
    return table
