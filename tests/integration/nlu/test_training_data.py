"""The shipped Rasa data: complete, consistent with the schema, and the held-out set never trained on."""

from __future__ import annotations

import time
from collections import Counter

import yaml

from nlu.lexicon import DATA_DIR, Lexicon
from nlu.normalize import normalize
from nlu.rasa_yaml import load
from nlu.schema import ENTITIES, INTENTS
from nlu.training import train

TRAIN = load(DATA_DIR / "nlu.yml").examples
TEST = load(DATA_DIR / "test.yml").examples
BLIND2 = load(DATA_DIR / "blind2.yml").examples


def test_every_intent_has_at_least_40_training_and_15_held_out_examples() -> None:
    train_counts, test_counts = Counter(e.intent for e in TRAIN), Counter(e.intent for e in TEST)
    assert set(train_counts) == set(INTENTS) == set(test_counts)
    assert min(train_counts.values()) >= 40
    assert min(test_counts.values()) >= 15


def test_the_held_out_set_shares_no_message_with_the_training_data() -> None:
    trained = {normalize(e.text).strip() for e in TRAIN}
    assert [e.text for e in TEST if normalize(e.text).strip() in trained] == []


def test_the_second_blind_set_shares_no_message_with_the_training_data_and_covers_every_intent() -> None:
    trained = {normalize(e.text).strip() for e in TRAIN}
    assert [e.text for e in BLIND2 if normalize(e.text).strip() in trained] == []
    counts = Counter(e.intent for e in BLIND2)
    assert set(counts) == set(INTENTS) and min(counts.values()) >= 10 and len(BLIND2) >= 300


def test_annotations_use_only_known_entities_and_cover_their_text() -> None:
    for ex in TRAIN + TEST + BLIND2:
        for ent in ex.entities:
            assert ent.entity in ENTITIES, ex.text
            assert ex.text[ent.start:ent.end] == ent.value


def test_the_rasa_domain_lists_exactly_our_intents_and_entities() -> None:
    domain = yaml.safe_load((DATA_DIR / "domain.yml").read_text(encoding="utf-8"))
    assert tuple(domain["intents"]) == INTENTS
    assert tuple(domain["entities"]) == ENTITIES


def test_training_on_the_shipped_data_takes_well_under_a_minute() -> None:
    started = time.perf_counter()
    model = train(Lexicon())
    assert time.perf_counter() - started < 60
    assert set(model.intents) == set(INTENTS)
