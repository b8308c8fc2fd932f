"""Placeholder product photos for the demo shop, drawn with Pillow (no downloads).

The product name is drawn with the shipped CJK font when it is there (`posters/fonts/`);
without it the picture keeps its shapes, colours and the Latin product code, so the
seed never fails for lack of a font.
"""

from __future__ import annotations

import io
import logging
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

log = logging.getLogger("siyu.seed")

SIZE = 640
JPEG_QUALITY = 85


@lru_cache(maxsize=64)
def placeholder_jpeg(code: str, name: str, color: str, subtitle: str = "") -> bytes:
    """A square JPEG: tinted background, a soft "product" disc, the name and the code."""
    base = _rgb(color)
    image = Image.new("RGB", (SIZE, SIZE), _mix(base, (255, 255, 255), 0.75))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((40, 40, SIZE - 40, SIZE - 40), radius=48, fill=_mix(base, (255, 255, 255), 0.55))
    draw.ellipse((170, 110, SIZE - 170, 410), fill=base, outline=_mix(base, (0, 0, 0), 0.25), width=6)
    draw.ellipse((230, 150, 300, 220), fill=_mix(base, (255, 255, 255), 0.5))  # highlight
    ink = _mix(base, (0, 0, 0), 0.7)
    _draw_name(draw, name, subtitle, ink)
    latin = ImageFont.load_default()
    draw.text((SIZE // 2, SIZE - 70), code, fill=ink, font=latin, anchor="mm")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def _draw_name(draw: ImageDraw.ImageDraw, name: str, subtitle: str, ink: tuple[int, int, int]) -> None:
    try:
        from posters.fonts import default_fontset

        fonts = default_fontset()
        title = fonts.clean(name, bold=True)[:12]
        draw.text((SIZE // 2, 475), title, fill=ink, font=fonts.bold.at(44), anchor="mm")
        if subtitle:
            draw.text((SIZE // 2, 530), fonts.clean(subtitle)[:18], fill=ink, font=fonts.regular.at(26), anchor="mm")
    except Exception as exc:  # no CJK font: shapes and the Latin code are enough
        log.info("demo images without CJK text (%s)", exc)


def _rgb(color: str) -> tuple[int, int, int]:
    text = color.lstrip("#")
    try:
        return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)
    except (ValueError, IndexError):
        return (200, 200, 200)


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    r, g, bl = (round(x + (y - x) * t) for x, y in zip(a, b, strict=True))
    return r, g, bl
