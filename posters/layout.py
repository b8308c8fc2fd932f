"""Poster layouts: declarative YAML in `posters/layouts/`, loaded into `Layout`.

A layout names the data it draws (`kind: product|shop|event`), its design
size, a `version` (part of every cache key) and a list of elements, drawn in
order (see `elements.py` for the element types and their keys).  `scaled()`
maps the design onto another canvas size.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

LAYOUT_DIR = Path(__file__).resolve().parent / "layouts"
_LENGTH_KEYS = ("size", "radius", "line_width", "gap", "name_size", "price_size", "padding")

Element = dict[str, Any]


class LayoutError(ValueError):
    """A layout file is missing or malformed."""


@dataclass(frozen=True)
class Layout:
    name: str
    version: int
    kind: str
    width: int
    height: int
    background: str
    elements: tuple[Element, ...]

    @property
    def digest(self) -> str:
        """Changes whenever the design changes, even if `version` was not bumped."""
        body = json.dumps([self.name, self.version, self.width, self.height, self.background, self.elements],
                          sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(body.encode()).hexdigest()[:16]

    def scaled(self, width: int, height: int) -> Layout:
        if (width, height) == (self.width, self.height):
            return self
        sx, sy = width / self.width, height / self.height
        return replace(self, width=width, height=height,
                       elements=tuple(_scale(e, sx, sy) for e in self.elements))


def _scale(element: Element, sx: float, sy: float) -> Element:
    out = dict(element)
    if "box" in out:
        x, y, w, h = out["box"]
        out["box"] = [round(x * sx), round(y * sy), round(w * sx), round(h * sy)]
    for key in _LENGTH_KEYS:
        if key in out:
            out[key] = max(1, round(out[key] * min(sx, sy)))
    return out


def parse_layout(doc: dict[str, Any], source: str = "<layout>") -> Layout:
    try:
        width, height = doc["size"]
        elements = tuple(dict(e) for e in doc["elements"])
        for element in elements:
            if "type" not in element:
                raise LayoutError(f"{source}: an element has no type: {element}")
        return Layout(name=str(doc["name"]), version=int(doc["version"]), kind=str(doc["kind"]),
                      width=int(width), height=int(height), background=str(doc.get("background", "#FFFFFF")),
                      elements=elements)
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, LayoutError):
            raise
        raise LayoutError(f"{source}: malformed layout ({exc!r})") from exc


@lru_cache(maxsize=32)
def load_layout(name: str, directory: str = str(LAYOUT_DIR)) -> Layout:
    """A layout by name (`product`, `shop`, `event`) from `directory`."""
    path = Path(directory) / f"{name}.yml"
    if not path.is_file():
        raise LayoutError(f"no poster layout {name!r} in {directory}")
    with path.open(encoding="utf-8") as fh:
        return parse_layout(yaml.safe_load(fh), str(path))


def layout_names(directory: str = str(LAYOUT_DIR)) -> list[str]:
    return sorted(p.stem for p in Path(directory).glob("*.yml"))
