"""Stratified k-fold cross-validation of the intent model on the training data.

The held-out files guide data additions and so grow optimistic; cross-validation
on `nlu.yml` measures how well the pipeline generalises from the data it has.
Entity evaluation is included: the rule layer does not train, but the intent of
a fold-model decides which context-only entities survive.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence

from nlu.embedded import EmbeddedInterpreter
from nlu.evaluation import Report, _score
from nlu.lexicon import Lexicon
from nlu.rasa_yaml import Example
from nlu.training import DEFAULT_C, train


def folds_of(examples: Sequence[Example], k: int, seed: int = 13) -> list[list[int]]:
    """Indexes of `examples` split into `k` folds, each intent spread evenly."""
    by_intent: dict[str, list[int]] = defaultdict(list)
    for i, ex in enumerate(examples):
        by_intent[ex.intent].append(i)
    rng = random.Random(seed)
    folds: list[list[int]] = [[] for _ in range(k)]
    offset = 0
    for intent in sorted(by_intent):
        ids = by_intent[intent]
        rng.shuffle(ids)
        for j, i in enumerate(ids):
            folds[(j + offset) % k].append(i)
        offset += len(ids)
    return folds


def cross_validate(examples: Sequence[Example], k: int = 5, *, c: float = DEFAULT_C, seed: int = 13) -> Report:
    """One report over all examples, each predicted by the model that did not train on it."""
    lexicon = Lexicon()
    order: list[int] = []
    parses = []
    for fold in folds_of(examples, k, seed):
        held = set(fold)
        model = train(lexicon, [ex for i, ex in enumerate(examples) if i not in held], c=c)
        interpreter = EmbeddedInterpreter(model, lexicon)
        for i in fold:
            order.append(i)
            parses.append(interpreter.parse(examples[i].text))
    ordered = [examples[i] for i in order]
    return _score(ordered, parses, [0.0] * len(parses))
