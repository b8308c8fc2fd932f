"""Posters, QR codes and promo copy: pure functions, data in, bytes/text out.

Imports only the stdlib, Pillow, qrcode and PyYAML (an import-linter contract
keeps `commerce`, `bot`, `worker` and `siyu` out).
"""

from __future__ import annotations

from posters.cache import LocalPosterStore, PosterStore, cache_key, render_cached
from posters.copy import CopyFacts, Tone, promo_copies, promo_copy
from posters.data import EventPosterData, PosterData, ProductPosterData, ProductTile, ShopPosterData
from posters.fonts import FontSet, load_fontset
from posters.forbidden_words import ForbiddenCopy, check_forbidden, ensure_allowed
from posters.images import ImageRejected
from posters.layout import Layout, LayoutError, layout_names, load_layout
from posters.qr import QRContentTooLong, qr_image
from posters.render import render, render_image

__all__ = [
    "CopyFacts", "EventPosterData", "FontSet", "ForbiddenCopy", "ImageRejected", "Layout", "LayoutError",
    "LocalPosterStore", "PosterData", "PosterStore", "ProductPosterData", "ProductTile", "QRContentTooLong",
    "ShopPosterData", "Tone", "cache_key", "check_forbidden", "ensure_allowed", "layout_names", "load_fontset",
    "load_layout", "promo_copies", "promo_copy", "qr_image", "render", "render_cached", "render_image",
]
