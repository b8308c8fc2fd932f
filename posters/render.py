"""`render(layout, data) -> JPEG bytes`: the pure poster function.

Same layout + same data → same bytes.  Output is JPEG (q85 by default, never
PNG: ~70 ms slower to encode); if a very busy photo pushes the file over
`MAX_BYTES`, it is re-encoded at lower qualities until it fits.
"""

from __future__ import annotations

import io
from dataclasses import fields as dataclass_fields
from typing import Any

from PIL import Image, ImageDraw

from posters.data import DATA_KINDS, EventPosterData, PosterData, ProductPosterData
from posters.display import date_range, price_text
from posters.elements import DRAWERS, Canvas
from posters.fonts import FontSet, default_fontset
from posters.layout import Layout, LayoutError, load_layout

MAX_BYTES = 300 * 1024
DEFAULT_QUALITY = 85
_FALLBACK_QUALITIES = (75, 65, 55)


def render(
    layout: str | Layout,
    data: PosterData,
    *,
    fonts: FontSet | None = None,
    size: tuple[int, int] | None = None,
    quality: int = DEFAULT_QUALITY,
) -> bytes:
    """Draw `data` with `layout` (a name in `posters/layouts/` or a `Layout`) and encode it as JPEG."""
    image = render_image(layout, data, fonts=fonts, size=size)
    return encode_jpeg(image, quality)


def render_image(
    layout: str | Layout, data: PosterData, *, fonts: FontSet | None = None, size: tuple[int, int] | None = None
) -> Image.Image:
    layout = resolve_layout(layout, size)
    expected = DATA_KINDS.get(layout.kind)
    if expected is None or not isinstance(data, expected):
        raise LayoutError(f"layout {layout.name!r} draws {layout.kind} data, got {type(data).__name__}")
    image = Image.new("RGB", (layout.width, layout.height), layout.background)
    canvas = Canvas(image, ImageDraw.Draw(image), fonts or default_fontset(), display_fields(data))
    for element in layout.elements:
        if _wanted(element, canvas.fields):
            drawer = DRAWERS.get(element["type"])
            if drawer is None:
                raise LayoutError(f"layout {layout.name!r}: unknown element type {element['type']!r}")
            drawer(canvas, element)
    return image


def resolve_layout(layout: str | Layout, size: tuple[int, int] | None = None) -> Layout:
    resolved = load_layout(layout) if isinstance(layout, str) else layout
    return resolved.scaled(*size) if size else resolved


def _wanted(element: dict[str, Any], fields: dict[str, Any]) -> bool:
    if "when" in element and not fields.get(element["when"]):
        return False
    return not ("unless" in element and fields.get(element["unless"]))


def display_fields(data: PosterData) -> dict[str, Any]:
    """The data's fields plus display strings the layouts use (`price`, `date_range`, …)."""
    out: dict[str, Any] = {f.name: getattr(data, f.name) for f in dataclass_fields(data)}
    if isinstance(data, ProductPosterData):
        out["price"] = price_text(data.price_fen)
        out["original_price"] = price_text(data.original_price_fen) if data.original_price_fen is not None else ""
        out["member_price"] = price_text(data.member_price_fen) if data.member_price_fen is not None else ""
    if isinstance(data, EventPosterData):
        out["date_range"] = date_range(data.starts_on, data.ends_on)
    return out


def encode_jpeg(image: Image.Image, quality: int = DEFAULT_QUALITY) -> bytes:
    for q in (quality, *(q for q in _FALLBACK_QUALITIES if q < quality)):
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=q)
        if buffer.tell() <= MAX_BYTES:
            break
    return buffer.getvalue()
