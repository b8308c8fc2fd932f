"""Drawing the element types a layout may use.

Every element has a `type` and usually a `box: [x, y, w, h]`.  Optional on
all: `when: FIELD` (draw only if the field is truthy), `unless: FIELD`.

- `rect`: `fill`, `radius`, `outline`, `line_width`
- `line`: from (x, y) to (x+w, y+h); `color`, `line_width`
- `text`: `text` (a `{field}` template), `size`, `color`, `bold`, `max_lines`
  (1), `align` (left|center|right), `line_height` (1.35), `strike`
- `bullets`: `field` (list of str), `size`, `color`, `max_items`, `bullet`
- `image`: `field` (bytes), `shape` (rect|circle), `placeholder` (photo|initial),
  `initial_field`, `placeholder_bg`, `placeholder_ink`
- `price`: `field`, `original_field`, `member_field`, `size`, `color`
- `qr`: `field`, `version` (auto when absent)
- `grid`: `field` (list of ProductTile), `columns`, `gap`, `max_items`,
  `name_size`, `price_size`, `fill`, `radius`, `color`, `price_color`
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageDraw

from posters.display import price_text
from posters.fonts import FontSet
from posters.images import circle_mask, fitted_photos, photo_placeholder
from posters.layout import Element
from posters.qr import qr_image
from posters.text import TextStyle, draw_line, ellipsize, wrap


@dataclass
class Canvas:
    image: Image.Image
    draw: ImageDraw.ImageDraw
    fonts: FontSet
    fields: dict[str, Any]


Drawer = Callable[[Canvas, Element], None]


def _box(e: Element) -> tuple[int, int, int, int]:
    x, y, w, h = e["box"]
    return int(x), int(y), int(w), int(h)


def draw_rect(c: Canvas, e: Element) -> None:
    x, y, w, h = _box(e)
    c.draw.rounded_rectangle((x, y, x + w - 1, y + h - 1), radius=e.get("radius", 0), fill=e.get("fill"),
                             outline=e.get("outline"), width=e.get("line_width", 1))


def draw_rule(c: Canvas, e: Element) -> None:
    x, y, w, h = _box(e)
    c.draw.line((x, y, x + w, y + h), fill=e.get("color", "#E5E5E5"), width=e.get("line_width", 1))


def draw_text(c: Canvas, e: Element) -> None:
    x, y, w, h = _box(e)
    style = TextStyle(int(e.get("size", 28)), bool(e.get("bold", False)))
    text = str(e.get("text", "")).format_map(c.fields)
    step = style.size * float(e.get("line_height", 1.35))
    max_lines = int(e.get("max_lines", 1))
    lines = wrap(text, c.fonts, style, w, max_lines)
    color = e.get("color", "#222222")
    for i, line in enumerate(lines):
        line_w = c.fonts.width(line, style.size, style.bold)
        lx = x + {"center": (w - line_w) / 2, "right": w - line_w}.get(e.get("align", "left"), 0)
        ly = y + i * step
        draw_line(c.draw, (lx, ly), line, c.fonts, style, color)
        if e.get("strike"):
            mid = ly + style.size * 0.62
            c.draw.line((lx, mid, lx + line_w, mid), fill=color, width=max(1, style.size // 14))


def draw_bullets(c: Canvas, e: Element) -> None:
    x, y, w, h = _box(e)
    style = TextStyle(int(e.get("size", 26)), bool(e.get("bold", False)))
    bullet = str(e.get("bullet", "· "))
    step = style.size * float(e.get("line_height", 1.5))
    items = [c.fonts.clean(str(s)) for s in c.fields.get(e["field"]) or []]
    items = [s for s in items if s.strip()][: int(e.get("max_items", 3))]
    bullet_w = c.fonts.width(bullet, style.size)
    same_color = "bullet_color" not in e
    for i, item in enumerate(items):
        if (i + 1) * step > h + style.size * 0.5:
            break
        ly = y + i * step
        line = ellipsize(item.replace("\n", " "), c.fonts, style, w - bullet_w)
        if same_color:  # one draw call per line
            draw_line(c.draw, (x, ly), bullet + line, c.fonts, style, e.get("color", "#666666"))
            continue
        draw_line(c.draw, (x, ly), bullet, c.fonts, style, e["bullet_color"])
        draw_line(c.draw, (x + bullet_w, ly), line, c.fonts, style, e.get("color", "#666666"))


def draw_image(c: Canvas, e: Element) -> None:
    x, y, w, h = _box(e)
    img = fitted_photos.get(c.fields.get(e["field"]), (w, h), e["field"])
    if img is None and e.get("placeholder") == "initial":
        img = _initial_placeholder(c, e, (w, h))
    elif img is None:
        img = photo_placeholder((w, h), e.get("placeholder_bg", "#F2F2F2"), e.get("placeholder_ink", "#CCCCCC"))
    mask = circle_mask((w, h)) if e.get("shape") == "circle" else None
    c.image.paste(img, (x, y), mask)


def _initial_placeholder(c: Canvas, e: Element, size: tuple[int, int]) -> Image.Image:
    img = Image.new("RGB", size, e.get("placeholder_bg", "#F4B183"))
    name = c.fonts.clean(str(c.fields.get(e.get("initial_field", ""), "") or ""), bold=True).strip()
    if name:
        text_size = int(min(size) * 0.5)
        font = c.fonts.runs(name[0], text_size, bold=True)[0][0]
        ImageDraw.Draw(img).text((size[0] / 2, size[1] / 2), name[0], font=font,
                                 fill=e.get("placeholder_ink", "#FFFFFF"), anchor="mm")
    return img


def draw_price(c: Canvas, e: Element) -> None:
    x, y, w, h = _box(e)
    size = int(e.get("size", 60))
    baseline = y + size
    price = c.fields[e.get("field", "price_fen")]
    cursor = x + _baseline_text(c, (x, baseline), "¥", int(size * 0.55), True, e.get("color", "#E4393C"))
    cursor += _baseline_text(c, (cursor, baseline), price_text(price)[1:], size, True, e.get("color", "#E4393C"))
    original = c.fields.get(e.get("original_field", "original_price_fen"))
    if original is not None:
        small = int(size * 0.45)
        start = cursor + small * 0.5
        width = _baseline_text(c, (start, baseline), price_text(original), small, False, "#999999")
        mid = baseline - small * 0.33
        c.draw.line((start, mid, start + width, mid), fill="#999999", width=max(2, small // 14))
        cursor = start + width
    member = c.fields.get(e.get("member_field", "member_price_fen"))
    if member is not None:
        _member_badge(c, (cursor + size * 0.3, baseline), price_text(member), int(size * 0.4), e)


def _baseline_text(c: Canvas, xy: tuple[float, float], text: str, size: int, bold: bool, color: str) -> float:
    text = c.fonts.clean(text, bold)
    cursor = xy[0]
    for font, run in c.fonts.runs(text, size, bold):
        c.draw.text((cursor, xy[1]), run, font=font, fill=color, anchor="ls")
        cursor += c.fonts.width(run, size, bold)
    return cursor - xy[0]


def _member_badge(c: Canvas, xy: tuple[float, float], price: str, size: int, e: Element) -> None:
    label = f"会员价 {price}"
    width = c.fonts.width(label, size, True)
    pad = size * 0.45
    left, bottom = xy
    top = bottom - size * 1.25
    c.draw.rounded_rectangle((left, top, left + width + 2 * pad, bottom + size * 0.3), radius=size // 3,
                             fill=e.get("badge_fill", "#2B2B2B"))
    _baseline_text(c, (left + pad, bottom - size * 0.05), label, size, True, e.get("badge_color", "#F3D48E"))


def draw_qr(c: Canvas, e: Element) -> None:
    x, y, w, h = _box(e)
    side = min(w, h)
    code = qr_image(str(c.fields[e.get("field", "qr_content")]), side, e.get("version"))
    c.image.paste(code, (x + (w - code.width) // 2, y + (h - code.height) // 2))


def draw_grid(c: Canvas, e: Element) -> None:
    x, y, w, h = _box(e)
    tiles = list(c.fields.get(e.get("field", "products")) or [])[: int(e.get("max_items", 4))]
    if not tiles:
        return
    columns = int(e.get("columns", 2))
    gap = int(e.get("gap", 20))
    rows = -(-len(tiles) // columns)
    tile_w = (w - gap * (columns - 1)) // columns
    tile_h = (h - gap * (rows - 1)) // rows
    for i, tile in enumerate(tiles):
        tx = x + (i % columns) * (tile_w + gap)
        ty = y + (i // columns) * (tile_h + gap)
        _draw_tile(c, e, tile, (tx, ty, tile_w, tile_h))


def _draw_tile(c: Canvas, e: Element, tile: Any, box: tuple[int, int, int, int]) -> None:
    x, y, w, h = box
    name_size, price_size = int(e.get("name_size", 24)), int(e.get("price_size", 30))
    pad = int(e.get("padding", 12))
    image_h = max(1, h - pad * 3 - name_size - price_size)
    draw_rect(c, {"box": [x, y, w, h], "fill": e.get("fill", "#FFFFFF"), "radius": e.get("radius", 12)})
    side = min(w - 2 * pad, image_h)
    draw_image(Canvas(c.image, c.draw, c.fonts, {"image": tile.image}),
               {"box": [x + (w - side) // 2, y + pad, side, side], "field": "image"})
    style = TextStyle(name_size)
    name = (wrap(tile.name, c.fonts, style, w - 2 * pad, 1) or [""])[0]
    draw_line(c.draw, (x + pad, y + pad + image_h + pad // 2), name, c.fonts, style, e.get("color", "#333333"))
    _baseline_text(c, (x + pad, y + h - pad), price_text(tile.price_fen), price_size, True,
                   e.get("price_color", "#E4393C"))


DRAWERS: dict[str, Drawer] = {
    "rect": draw_rect, "line": draw_rule, "text": draw_text, "bullets": draw_bullets, "image": draw_image,
    "price": draw_price, "qr": draw_qr, "grid": draw_grid,
}
