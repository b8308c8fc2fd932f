"""The text → (entity candidates, intent features) steps shared by training and parsing."""

from __future__ import annotations

from dataclasses import dataclass

from nlu.entities.extractor import extract
from nlu.entities.patterns import Candidate
from nlu.features import featurize, mask
from nlu.lexicon import Lexicon
from nlu.normalize import normalize, truncate


@dataclass(frozen=True)
class Prepared:
    truncated: str
    norm: str
    candidates: list[Candidate]
    features: list[str]


def prepare(text: str, lexicon: Lexicon) -> Prepared:
    truncated = truncate(text)
    norm = normalize(truncated)
    candidates = extract(norm, lexicon.vocabulary)
    features = featurize(mask(norm, candidates), lexicon.tokenizer)
    return Prepared(truncated, norm, candidates, features)
