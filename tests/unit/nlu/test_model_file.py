from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest

from nlu.embedded import EmbeddedInterpreter
from nlu.model_file import ModelFileError, load, save


def test_a_saved_model_loads_back_and_scores_the_same(interpreter: EmbeddedInterpreter, tmp_path: Path) -> None:
    path = save(interpreter.model, tmp_path / "nlu" / "model.pkl")
    again = load(path)
    features = ["购物", "w:购物车", "车"]
    assert again.intents == interpreter.model.intents
    assert np.allclose(again.probabilities(features), interpreter.model.probabilities(features))


def test_a_corrupt_file_names_itself_and_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "model.pkl"
    path.write_bytes(b"not a pickle at all")
    with pytest.raises(ModelFileError, match=r"model\.pkl.*corrupt.*siyu nlu train"):
        load(path)


def test_a_model_from_another_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "model.pkl"
    path.write_bytes(pickle.dumps({"format": "siyu-nlu-0"}))
    with pytest.raises(ModelFileError, match="siyu-nlu-0.*siyu nlu train"):
        load(path)


def test_a_missing_file_says_how_to_create_it(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="does not exist.*siyu nlu train"):
        load(tmp_path / "nope.pkl")


def test_the_model_is_small(interpreter: EmbeddedInterpreter) -> None:
    assert interpreter.model.weights.nbytes < 20 * 2**20
