"""The Rasa backend: `POST {rasa_url}/model/parse`, mapped into our `Parse`.

A Rasa server trained on `siyu nlu export-rasa DIR` answers with our intent and
entity names.  On a timeout, an HTTP error or a malformed answer the message is
parsed by the embedded fallback instead, and the server is left alone for
`cooldown` seconds so a dead server does not add its timeout to every message.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from typing import Any

import httpx

from nlu.entities.values import normalize_value
from nlu.normalize import truncate
from nlu.schema import OUT_OF_SCOPE
from nlu.types import Entity, Interpreter, Parse

log = logging.getLogger("nlu.rasa")
FALLBACK_INTENT = "nlu_fallback"


class RasaInterpreter:
    def __init__(self, url: str, *, fallback: Interpreter, timeout: float = 0.8, cooldown: float = 30.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.url = url.rstrip("/") + "/model/parse"
        self.fallback = fallback
        self.cooldown = cooldown
        self._client = httpx.Client(timeout=timeout, transport=transport)
        self._down_until = 0.0

    @property
    def threshold(self) -> float:
        return self.fallback.threshold

    def parse(self, text: str) -> Parse:
        text = text if isinstance(text, str) else str(text)
        if time.monotonic() < self._down_until:
            return self.fallback.parse(text)
        try:
            response = self._client.post(self.url, json={"text": truncate(text)})
            response.raise_for_status()
            return to_parse(text, response.json())
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            log.warning("Rasa server %s failed (%s: %s); using the embedded NLU for %.0f s",
                        self.url, type(exc).__name__, exc, self.cooldown)
            self._down_until = time.monotonic() + self.cooldown
            return self.fallback.parse(text)

    def update_vocabulary(
        self,
        *,
        products: Iterable[str] = (),
        categories: Iterable[str] = (),
        carriers: Iterable[str] = (),
        specs: Iterable[str] = (),
    ) -> None:
        self.fallback.update_vocabulary(products=products, categories=categories, carriers=carriers, specs=specs)

    def close(self) -> None:
        self._client.close()


def to_parse(text: str, payload: dict[str, Any]) -> Parse:
    """Map Rasa's `/model/parse` JSON to a `Parse` (offsets are on the text we sent)."""
    intent = payload.get("intent") or {}
    name = intent.get("name") or OUT_OF_SCOPE
    confidence = float(intent.get("confidence") or 0.0)
    ranking = tuple((str(r["name"]), float(r["confidence"])) for r in payload.get("intent_ranking") or []
                    if r.get("name") != FALLBACK_INTENT)
    if name == FALLBACK_INTENT:  # FallbackClassifier: keep the best real guess, with its low confidence
        name, confidence = ranking[0] if ranking else (OUT_OF_SCOPE, 0.0)
    entities = tuple(_entity(text, e) for e in payload.get("entities") or [])
    return Parse(text, str(name), confidence, entities, ranking or ((str(name), confidence),))


def _entity(text: str, raw: dict[str, Any]) -> Entity:
    start, end = int(raw["start"]), int(raw["end"])
    surface = text[start:end] or str(raw.get("value", ""))
    value = str(raw.get("value", surface))
    name = str(raw["entity"])
    normalized = normalize_value(name, surface) if name not in ("carrier", "payout_method", "product",
                                                                  "category", "reason") else value
    return Entity(name, surface, start, end, normalized)
