"""Fonts for posters: the shipped CJK subset, an optional fallback, no tofu.

A `FontSet` holds a primary font (the shipped Noto Sans CJK SC subset unless
configured otherwise) and an optional fallback.  Text is split into runs by
which font has the glyph; characters neither font has are dropped, so a
poster never shows `.notdef` boxes.  Emoji survive only if the fallback draws
them (a colour-bitmap emoji font that Pillow cannot scale is refused with a
log line and ignored).
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from posters.font_coverage import FontFormatError, covered_codepoints

log = logging.getLogger(__name__)

FONT_DIR = Path(__file__).resolve().parent / "fonts"
DEFAULT_REGULAR = FONT_DIR / "NotoSansCJKsc-Regular.otf"
DEFAULT_BOLD = FONT_DIR / "NotoSansCJKsc-Bold.otf"
ELLIPSIS = "…"
_KEEP_CONTROLS = {"\n"}

Font = ImageFont.FreeTypeFont


@dataclass(frozen=True)
class FontFace:
    """One font file (and face index inside a collection)."""

    path: str
    index: int = 0

    @property
    def codepoints(self) -> frozenset[int]:
        return covered_codepoints(self.path, self.index)

    def at(self, size: int) -> Font:
        return _load(self.path, self.index, size)


@lru_cache(maxsize=128)
def _load(path: str, index: int, size: int) -> Font:
    return ImageFont.truetype(path, size, index=index, layout_engine=ImageFont.Layout.BASIC)


@dataclass(frozen=True)
class FontSet:
    """Primary + bold + optional fallback faces, with per-character routing."""

    regular: FontFace
    bold: FontFace
    fallback: FontFace | None = None
    _widths: dict[tuple[int, bool, str], float] = field(default_factory=dict, compare=False, repr=False)

    def face_for(self, ch: str, bold: bool = False) -> FontFace | None:
        primary = self.bold if bold else self.regular
        code = ord(ch)
        if code in primary.codepoints:
            return primary
        if self.fallback is not None and code in self.fallback.codepoints:
            return self.fallback
        return None

    def clean(self, text: str, bold: bool = False) -> str:
        """Drop what no font can draw (and control/format characters such as ZWJ, VS16)."""
        kept = []
        for ch in text:
            if ch in _KEEP_CONTROLS:
                kept.append(ch)
            elif unicodedata.category(ch)[0] == "C":
                continue
            elif self.face_for(ch, bold) is not None:
                kept.append(ch)
        return "".join(kept)

    def runs(self, text: str, size: int, bold: bool = False) -> list[tuple[Font, str]]:
        """Split cleaned text into (font, substring) runs of the same face."""
        out: list[tuple[Font, str]] = []
        current: FontFace | None = None
        start = 0
        for i, ch in enumerate(text):
            face = self.face_for(ch, bold)
            if face is not current:
                if current is not None and i > start:
                    out.append((current.at(size), text[start:i]))
                current, start = face, i
        if current is not None and len(text) > start:
            out.append((current.at(size), text[start:]))
        return out

    def char_width(self, ch: str, size: int, bold: bool = False) -> float:
        key = (size, bold, ch)
        width = self._widths.get(key)
        if width is None:
            face = self.face_for(ch, bold)
            width = face.at(size).getlength(ch) if face is not None else 0.0
            self._widths[key] = width
        return width

    def width(self, text: str, size: int, bold: bool = False) -> float:
        return sum(self.char_width(ch, size, bold) for ch in text)


def load_fontset(font_file: str = "", fallback_font_file: str = "", bold_font_file: str = "") -> FontSet:
    """The configured fonts; empty paths mean the shipped subset.  A bad fallback is logged and ignored."""
    regular = _face(font_file) if font_file else FontFace(str(DEFAULT_REGULAR))
    bold = _face(bold_font_file) if bold_font_file else (regular if font_file else FontFace(str(DEFAULT_BOLD)))
    fallback = None
    if fallback_font_file:
        try:
            fallback = _face(fallback_font_file)
            fallback.at(24)
        except (OSError, FontFormatError) as exc:
            log.warning("poster fallback font %s unusable, ignored: %s", fallback_font_file, exc)
            fallback = None
    return FontSet(regular=regular, bold=bold, fallback=fallback)


def _face(spec: str) -> FontFace:
    """`path` or `path#index` for a face inside a `.ttc` collection."""
    path, _, index = spec.partition("#")
    face = FontFace(path, int(index or 0))
    face.codepoints  # noqa: B018 - fail early on unreadable files
    return face


@lru_cache(maxsize=1)
def default_fontset() -> FontSet:
    return load_fontset()
