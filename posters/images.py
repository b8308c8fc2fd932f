"""Decoding caller-supplied photos safely, fitting them, and placeholders.

Photos come from merchants and users, so they are untrusted: anything over
`MAX_INPUT_BYTES` or `MAX_SOURCE_PIXELS`, or that fails to decode, is refused
with a warning and the poster draws a placeholder instead.  JPEGs are decoded
at a reduced scale with `Image.draft`, so a 5000×5000 photo costs about as
much memory as the box it is drawn into.  The pixel limit is checked from the
header before any decoding (stricter than Pillow's global
`Image.MAX_IMAGE_PIXELS`, which we leave alone for other users of Pillow).
"""

from __future__ import annotations

import hashlib
import io
import logging
import threading
from collections import OrderedDict
from functools import lru_cache

from PIL import Image, ImageDraw, ImageOps

log = logging.getLogger(__name__)

MAX_INPUT_BYTES = 15 * 1024 * 1024
MAX_SOURCE_PIXELS = 40_000_000  # ~6300×6300; a decoded RGB image of that is 120 MB at most
_EXIF_ORIENTATION = 0x0112
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, Image.DecompressionBombError, EOFError)


class ImageRejected(ValueError):
    """A supplied image cannot be used (reason in the message)."""


def decode(data: bytes, box: tuple[int, int]) -> Image.Image:
    """RGB image from encoded bytes, decoded no larger than needed to cover `box`."""
    if len(data) > MAX_INPUT_BYTES:
        raise ImageRejected(f"{len(data)} bytes is over the {MAX_INPUT_BYTES}-byte limit")
    try:
        img = Image.open(io.BytesIO(data))
        width, height = img.size
        if width * height > MAX_SOURCE_PIXELS:
            raise ImageRejected(f"{width}×{height} is over the {MAX_SOURCE_PIXELS}-pixel limit")
        scale = max(box[0] / width, box[1] / height)
        img.draft("RGB", (max(1, int(width * scale)), max(1, int(height * scale))))
        if img.getexif().get(_EXIF_ORIENTATION, 1) != 1:  # exif_transpose copies even when upright
            img = ImageOps.exif_transpose(img) or img
        img.load()
    except ImageRejected:
        raise
    except _DECODE_ERRORS as exc:
        raise ImageRejected(f"undecodable image: {exc}") from exc
    return _to_rgb(img)


def _to_rgb(img: Image.Image) -> Image.Image:
    if img.mode in ("RGBA", "LA", "P", "PA"):
        img = img.convert("RGBA")
        background = Image.new("RGB", img.size, "white")
        background.paste(img, mask=img.getchannel("A"))
        return background
    return img if img.mode == "RGB" else img.convert("RGB")


def load_or_none(data: bytes | None, box: tuple[int, int], what: str) -> Image.Image | None:
    """`decode`, but a missing or refused image is None (refusals are logged)."""
    if not data:
        return None
    try:
        return decode(data, box)
    except ImageRejected as exc:
        log.warning("poster %s rejected, drawing a placeholder: %s", what, exc)
        return None


class FittedPhotoCache:
    """The last few photos decoded and fitted to a box, by content hash.

    Many distributors ask for posters of the same product: each poster differs
    (QR, name, avatar) but the product photo's decode + resize (~12 ms of a
    ~25 ms render) is the same.  Small photos only; refusals are not cached,
    so each one is logged.  Callers must treat the images as read-only.
    """

    def __init__(self, max_items: int = 8, max_bytes: int = 3 * 1024 * 1024) -> None:
        self._items: OrderedDict[tuple[str, tuple[int, int]], Image.Image] = OrderedDict()
        self._max_items, self._max_bytes = max_items, max_bytes
        self._lock = threading.Lock()

    def get(self, data: bytes | None, box: tuple[int, int], what: str) -> Image.Image | None:
        if not data or len(data) > self._max_bytes:
            img = load_or_none(data, box, what)
            return cover(img, box) if img is not None else None
        key = (hashlib.sha1(data).hexdigest(), box)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        img = load_or_none(data, box, what)
        if img is None:
            return None
        fitted = cover(img, box)
        with self._lock:
            self._items[key] = fitted
            while len(self._items) > self._max_items:
                self._items.popitem(last=False)
        return fitted


fitted_photos = FittedPhotoCache()


def cover(img: Image.Image, box: tuple[int, int]) -> Image.Image:
    """Scale and centre-crop to fill `box` exactly (bilinear: antialiased when shrinking, half bicubic's cost)."""
    if img.size == box:
        return img
    return ImageOps.fit(img, box, Image.Resampling.BILINEAR)


@lru_cache(maxsize=16)
def circle_mask(size: tuple[int, int]) -> Image.Image:
    mask = Image.new("L", (size[0] * 2, size[1] * 2), 0)
    ImageDraw.Draw(mask).ellipse((0, 0, size[0] * 2 - 1, size[1] * 2 - 1), fill=255)
    return mask.resize(size, Image.Resampling.LANCZOS)


def photo_placeholder(box: tuple[int, int], background: str, ink: str) -> Image.Image:
    """A drawn picture icon (frame, sun, mountains) on a flat background."""
    w, h = box
    img = Image.new("RGB", box, background)
    draw = ImageDraw.Draw(img)
    unit = max(4, min(w, h) // 6)
    cx, cy = w // 2, h // 2 - unit // 3
    left, top, right, bottom = cx - unit, cy - int(unit * 0.75), cx + unit, cy + int(unit * 0.75)
    draw.rounded_rectangle((left, top, right, bottom), radius=max(2, unit // 8), outline=ink, width=max(2, unit // 12))
    r = max(2, unit // 6)
    draw.ellipse((left + unit // 3 - r, top + unit // 3 - r, left + unit // 3 + r, top + unit // 3 + r), fill=ink)
    base = bottom - max(2, unit // 10)
    draw.polygon([(left + unit // 6, base), (cx - unit // 6, top + unit * 0.6), (cx + unit // 4, base)], fill=ink)
    draw.polygon([(cx - unit // 8, base), (cx + unit // 2, top + unit * 0.45), (right - unit // 6, base)], fill=ink)
    return img
