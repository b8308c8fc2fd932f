"""The embedded interpreter: rule-based entities + the linear intent model, in process."""

from __future__ import annotations

from collections.abc import Iterable

from nlu.entities.extractor import finalize
from nlu.lexicon import Lexicon
from nlu.model import IntentModel
from nlu.pipeline import prepare
from nlu.schema import OUT_OF_SCOPE
from nlu.types import Parse

RANKING_SIZE = 10


class EmbeddedInterpreter:
    def __init__(self, model: IntentModel, lexicon: Lexicon, threshold: float = 0.45) -> None:
        self.model = model
        self.lexicon = lexicon
        self.threshold = threshold

    def parse(self, text: str) -> Parse:
        text = text if isinstance(text, str) else str(text)
        prepared = prepare(text, self.lexicon)
        if not prepared.norm.strip():
            return Parse(text, OUT_OF_SCOPE, 0.0, (), ((OUT_OF_SCOPE, 0.0),))
        probs = self.model.probabilities(prepared.features)
        order = probs.argsort()[::-1][:RANKING_SIZE]
        ranking = tuple((self.model.intents[i], round(float(probs[i]), 4)) for i in order)
        intent, confidence = ranking[0]
        entities = finalize(prepared.truncated, prepared.candidates, intent)
        return Parse(text, intent, confidence, entities, ranking)

    def update_vocabulary(
        self,
        *,
        products: Iterable[str] = (),
        categories: Iterable[str] = (),
        carriers: Iterable[str] = (),
        specs: Iterable[str] = (),
    ) -> None:
        self.lexicon.update(product=products, category=categories, carrier=carriers, spec=specs)
