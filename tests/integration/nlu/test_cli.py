"""`siyu nlu train | eval --json | export-rasa` through typer's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from nlu.lexicon import DATA_DIR
from siyu.cli.nlu import app

runner = CliRunner()


@pytest.fixture(scope="module")
def model_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("nlu") / "model.pkl"
    result = runner.invoke(app, ["train", "--model", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_train_writes_the_model_file(model_file: Path) -> None:
    assert model_file.stat().st_size > 10_000


def test_train_defaults_to_the_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIYU_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SIYU_NLU__MODEL_PATH", raising=False)
    result = runner.invoke(app, ["train"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "nlu" / "model.pkl").exists()


def test_eval_json_prints_one_object_with_the_agreed_keys(model_file: Path) -> None:
    result = runner.invoke(app, ["eval", str(DATA_DIR / "test.yml"), "--json", "--model", str(model_file)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    for key in ("intent_accuracy", "intent_macro_f1", "entity_f1", "n", "latency_ms_p50", "latency_ms_p99"):
        assert key in report
    assert report["n"] >= 435 and report["intent_accuracy"] > 0.9


def test_eval_prints_a_readable_report(model_file: Path) -> None:
    result = runner.invoke(app, ["eval", str(DATA_DIR / "test.yml"), "--model", str(model_file)])
    assert result.exit_code == 0, result.output
    assert "intent_accuracy" in result.stdout and "entity_f1" in result.stdout


def test_export_rasa_writes_a_trainable_rasa_project(tmp_path: Path) -> None:
    result = runner.invoke(app, ["export-rasa", str(tmp_path / "rasa")])
    assert result.exit_code == 0, result.output
    root = tmp_path / "rasa"
    config = yaml.safe_load((root / "config.yml").read_text(encoding="utf-8"))
    assert config["language"] == "zh"
    assert config["pipeline"][0]["name"] == "JiebaTokenizer"
    for name in ("domain.yml", "data/nlu.yml", "data/lookups.yml", "data/synonyms.yml", "data/regex.yml",
                 "data/rules.yml"):
        assert yaml.safe_load((root / name).read_text(encoding="utf-8"))
