"""`load_interpreter` never crashes the caller: missing or corrupt model files are reported and survived."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from nlu import load_interpreter
from nlu.embedded import EmbeddedInterpreter
from nlu.model_file import save


def test_a_missing_model_is_trained_in_process_with_a_warning_naming_file_and_fix(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "nlu" / "model.pkl"
    with caplog.at_level(logging.WARNING, logger="nlu"):
        interpreter = load_interpreter(model_path=path)
    assert interpreter.parse("看看购物车").intent == "view_cart"
    assert str(path) in caplog.text and "siyu nlu train" in caplog.text
    assert path.exists()  # saved for the next start


def test_a_corrupt_model_is_reported_and_replaced_in_memory(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "model.pkl"
    path.write_bytes(b"\x80\x04garbage")
    with caplog.at_level(logging.ERROR, logger="nlu"):
        interpreter = load_interpreter(model_path=path)
    assert interpreter.parse("我要提现").intent == "withdraw"
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert errors and str(path) in errors[0].getMessage() and "siyu nlu train" in errors[0].getMessage()


def test_a_saved_model_is_loaded_without_retraining(
    tmp_path: Path, embedded: EmbeddedInterpreter, caplog: pytest.LogCaptureFixture
) -> None:
    path = save(embedded.model, tmp_path / "model.pkl")
    with caplog.at_level(logging.WARNING, logger="nlu"):
        interpreter = load_interpreter(model_path=path, confidence_threshold=0.6)
    assert caplog.records == []
    assert interpreter.threshold == 0.6
    assert interpreter.parse("我的积分").intent == "points_query"


def test_when_training_itself_fails_the_rule_layer_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import nlu.loading

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("no CPU today")

    monkeypatch.setattr(nlu.loading, "train", broken)
    with caplog.at_level(logging.ERROR, logger="nlu"):
        interpreter = load_interpreter(model_path=tmp_path / "missing.pkl")
    parse = interpreter.parse("转人工")
    assert parse.intent == "human_agent"
    assert interpreter.parse("").intent == "out_of_scope"
    assert "siyu nlu train" in caplog.text
