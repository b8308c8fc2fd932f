"""Save and load the versioned model file (a pickle of plain types and numpy arrays)."""

from __future__ import annotations

import os
import pickle
from dataclasses import asdict
from pathlib import Path

from nlu.model import MODEL_VERSION, IntentModel

FIX = "run `siyu nlu train` to rebuild it"


class ModelFileError(Exception):
    """The model file is missing, unreadable, corrupt or from another version."""


def save(model: IntentModel, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("wb") as fh:
        pickle.dump({"format": MODEL_VERSION, **asdict(model)}, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)  # atomic: a crash never leaves half a model
    return path


def load(path: str | Path) -> IntentModel:
    path = Path(path)
    if not path.exists():
        raise ModelFileError(f"NLU model file {path} does not exist; {FIX}")
    try:
        with path.open("rb") as fh:
            payload = pickle.load(fh)  # noqa: S301 - our own file, written by `save`
    except Exception as exc:
        raise ModelFileError(f"NLU model file {path} is corrupt ({type(exc).__name__}); {FIX}") from exc
    if not isinstance(payload, dict) or payload.get("format") != MODEL_VERSION:
        found = payload.get("format") if isinstance(payload, dict) else type(payload).__name__
        raise ModelFileError(f"NLU model file {path} has version {found!r}, expected {MODEL_VERSION!r}; {FIX}")
    payload.pop("format")
    try:
        return IntentModel(**payload)
    except TypeError as exc:
        raise ModelFileError(f"NLU model file {path} is corrupt ({exc}); {FIX}") from exc
