"""Chinese-aware text wrapping with ellipsis, and drawing runs across fonts.

Lines break between any two CJK characters and at spaces between Latin
words; a Latin word or number longer than a line is broken by character.
Closing punctuation never starts a line (it takes the previous character with
it), and text past `max_lines` ends with `…`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PIL import ImageDraw

from posters.fonts import ELLIPSIS, FontSet

_TOKEN = re.compile(r"[A-Za-z0-9¥$%.,'’\-+/:@#&_]+|\s+|.", re.DOTALL)
NO_LINE_START = set("，。、；：？！）》」』】〕〉”’,.;:?!)]}%…·～")


@dataclass(frozen=True)
class TextStyle:
    size: int
    bold: bool = False


def wrap(text: str, fonts: FontSet, style: TextStyle, max_width: float, max_lines: int | None = None) -> list[str]:
    """Cleaned text broken into lines that fit `max_width`, at most `max_lines` (with `…`)."""
    text = fonts.clean(text, style.bold)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, fonts, style, max_width))
        if max_lines is not None and len(lines) > max_lines:
            break
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = ellipsize(lines[-1], fonts, style, max_width, force=True)
    return lines


def _wrap_paragraph(text: str, fonts: FontSet, style: TextStyle, max_width: float) -> list[str]:
    def width(s: str) -> float:
        return fonts.width(s, style.size, style.bold)

    lines: list[str] = []
    line, line_w = "", 0.0
    for token in _TOKEN.findall(text):
        token_w = width(token)
        if line_w + token_w <= max_width:
            line, line_w = line + token, line_w + token_w
            continue
        if token.isspace():
            lines.append(line)
            line, line_w = "", 0.0
            continue
        if line and token[0] in NO_LINE_START and len(line) > 1:
            line, token = line[:-1], line[-1] + token
        if line:
            lines.append(line.rstrip())
        line, line_w = "", 0.0
        for ch in token:  # a token wider than a whole line is broken by character
            ch_w = width(ch)
            if line and line_w + ch_w > max_width:
                lines.append(line)
                line, line_w = "", 0.0
            line, line_w = line + ch, line_w + ch_w
    if line or not lines:
        lines.append(line.rstrip())
    return lines


def ellipsize(line: str, fonts: FontSet, style: TextStyle, max_width: float, force: bool = False) -> str:
    """Trim `line` so that it plus `…` fits; with `force` the ellipsis is added even if it already fits."""
    if not force and fonts.width(line, style.size, style.bold) <= max_width:
        return line
    ellipsis = ELLIPSIS if fonts.face_for(ELLIPSIS, style.bold) else "..."
    budget = max_width - fonts.width(ellipsis, style.size, style.bold)
    while line and fonts.width(line, style.size, style.bold) > budget:
        line = line[:-1]
    return line.rstrip() + ellipsis


def draw_line(
    draw: ImageDraw.ImageDraw, xy: tuple[float, float], line: str, fonts: FontSet, style: TextStyle, fill: str
) -> float:
    """Draw one cleaned line at its top-left `xy`, switching fonts per run; returns the width drawn."""
    x, y = xy
    for font, run in fonts.runs(line, style.size, style.bold):
        draw.text((x, y), run, font=font, fill=fill)
        x += fonts.width(run, style.size, style.bold)
    return x - xy[0]
