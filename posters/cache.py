"""Poster cache keys and storage of rendered files.

A key is a hash of the layout (name, version and design digest), the poster
data (images by content hash) and the QR ticket, so a new QR ticket, price or
photo gives a new poster while a repeat request finds the stored file.
`PosterStore` is the storage port; `LocalPosterStore` keeps
`{data_dir}/posters/{key}.jpg` (the demo and single-host default).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import fields, is_dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from posters.data import PosterData
from posters.fonts import FontSet
from posters.layout import Layout
from posters.render import DEFAULT_QUALITY, render, resolve_layout

RENDERER_VERSION = 1  # bump when drawing code changes what a layout looks like


def cache_key(
    layout: str | Layout,
    data: PosterData,
    qr_ticket: str = "",
    *,
    size: tuple[int, int] | None = None,
    quality: int = DEFAULT_QUALITY,
    fonts: FontSet | None = None,
) -> str:
    """`{layout}-{hash}` over layout version + design, data, QR ticket and output options."""
    resolved = resolve_layout(layout, size)
    faces = [fonts.regular, fonts.bold, fonts.fallback] if fonts else []
    body = json.dumps(
        {"r": RENDERER_VERSION, "layout": [resolved.name, resolved.version, resolved.digest],
         "data": _canonical(data), "qr": qr_ticket, "q": quality, "fonts": _canonical(faces)},
        sort_keys=True, ensure_ascii=False, separators=(",", ":"),
    )
    return f"{resolved.name}-{hashlib.sha256(body.encode()).hexdigest()[:32]}"


def _canonical(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {"_": type(value).__name__, **{f.name: _canonical(getattr(value, f.name)) for f in fields(value)}}
    if isinstance(value, bytes):
        return "sha256:" + hashlib.sha256(value).hexdigest()
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


class PosterStore(Protocol):
    def get(self, key: str) -> bytes | None: ...
    def put(self, key: str, data: bytes) -> None: ...


class LocalPosterStore:
    """`{data_dir}/posters/{key}.jpg`, written atomically (temp file + rename)."""

    def __init__(self, data_dir: str | os.PathLike[str]) -> None:
        self.directory = Path(data_dir) / "posters"

    def path(self, key: str) -> Path:
        if not key or "/" in key or "\\" in key or key.startswith("."):
            raise ValueError(f"bad poster key {key!r}")
        return self.directory / f"{key}.jpg"

    def get(self, key: str) -> bytes | None:
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError:
            return None

    def put(self, key: str, data: bytes) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".jpg")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, self.path(key))


def render_cached(
    store: PosterStore,
    layout: str | Layout,
    data: PosterData,
    qr_ticket: str = "",
    *,
    fonts: FontSet | None = None,
    size: tuple[int, int] | None = None,
    quality: int = DEFAULT_QUALITY,
) -> tuple[bytes, str, bool]:
    """(JPEG bytes, cache key, whether it came from the store); renders and stores on a miss."""
    key = cache_key(layout, data, qr_ticket, size=size, quality=quality, fonts=fonts)
    cached = store.get(key)
    if cached is not None:
        return cached, key, True
    image = render(layout, data, fonts=fonts, size=size, quality=quality)
    store.put(key, image)
    return image, key, False
