"""`load_interpreter`: pick the backend, load (or train) the model, never crash the caller."""

from __future__ import annotations

import logging
from pathlib import Path

from nlu.embedded import EmbeddedInterpreter
from nlu.lexicon import Lexicon
from nlu.model import IntentModel
from nlu.model_file import FIX, ModelFileError, load, save
from nlu.rules import RuleInterpreter
from nlu.training import data_fingerprint, train
from nlu.types import Interpreter

log = logging.getLogger("nlu")


def load_interpreter(
    *,
    backend: str = "embedded",
    model_path: str | Path | None = None,
    rasa_url: str | None = None,
    rasa_timeout: float = 0.8,
    confidence_threshold: float = 0.45,
) -> Interpreter:
    """The interpreter for `backend` ("embedded" or "rasa"; rasa falls back to embedded)."""
    embedded = _embedded(model_path, confidence_threshold)
    if backend == "rasa":
        from nlu.rasa_http import RasaInterpreter

        return RasaInterpreter(rasa_url or "http://127.0.0.1:5005", fallback=embedded, timeout=rasa_timeout)
    if backend != "embedded":
        log.error("unknown NLU backend %r; using the embedded one (set nlu.backend to embedded or rasa)", backend)
    return embedded


def _embedded(model_path: str | Path | None, threshold: float) -> Interpreter:
    lexicon = Lexicon()
    try:
        model = _model(model_path, lexicon)
    except Exception:  # the bot must keep answering: fall back to keyword rules
        log.exception("NLU training failed; answering with the rule layer until `siyu nlu train` succeeds")
        return RuleInterpreter(lexicon, threshold)
    return EmbeddedInterpreter(model, lexicon, threshold)


def _model(model_path: str | Path | None, lexicon: Lexicon) -> IntentModel:
    if model_path is None:
        return train(lexicon)
    path = Path(model_path)
    if not path.exists():
        log.warning("NLU model file %s not found; training in-process on the shipped data (%s)", path, FIX)
        model = train(lexicon)
        try:
            save(model, path)
        except OSError as exc:
            log.warning("could not save the NLU model to %s: %s", path, exc)
        return model
    try:
        model = load(path)
    except ModelFileError as exc:
        log.error("%s; training in-process meanwhile", exc)
        return train(lexicon)
    if model.meta.get("data") != data_fingerprint():
        log.warning("NLU model file %s was trained on other data than shipped; retraining in-process (%s)", path, FIX)
        return train(lexicon)
    return model
