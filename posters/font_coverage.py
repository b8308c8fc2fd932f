"""Which characters a font file can draw, read from its `cmap` table.

Pillow cannot tell whether a font has a glyph for a character (it silently
draws `.notdef`, the tofu box), so we read the font's character map with the
stdlib: OpenType/TrueType (`.otf`, `.ttf`) and collections (`.ttc`, with the
same face index Pillow takes), cmap subtable formats 4 (BMP) and 12 (full).
"""

from __future__ import annotations

import struct
from functools import lru_cache
from pathlib import Path

_PREFERRED_SUBTABLES = [(3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0)]


class FontFormatError(ValueError):
    """The file is not an OpenType/TrueType font we can read a cmap from."""


@lru_cache(maxsize=16)
def covered_codepoints(path: str, index: int = 0) -> frozenset[int]:
    data = Path(path).read_bytes()
    try:
        return frozenset(_cmap_codepoints(data, _face_offset(data, index)))
    except (struct.error, IndexError) as exc:
        raise FontFormatError(f"{path}: unreadable font tables ({exc})") from exc


def _face_offset(data: bytes, index: int) -> int:
    if data[:4] != b"ttcf":
        return 0
    (count,) = struct.unpack_from(">I", data, 8)
    if not 0 <= index < count:
        raise FontFormatError(f"font collection has {count} faces, no index {index}")
    (offset,) = struct.unpack_from(">I", data, 12 + 4 * index)
    return int(offset)


def _table_offset(data: bytes, face: int, tag: bytes) -> int:
    (num_tables,) = struct.unpack_from(">H", data, face + 4)
    for i in range(num_tables):
        rec = face + 12 + 16 * i
        if data[rec : rec + 4] == tag:
            return int(struct.unpack_from(">I", data, rec + 8)[0])
    raise FontFormatError(f"no {tag.decode()} table")


def _cmap_codepoints(data: bytes, face: int) -> set[int]:
    cmap = _table_offset(data, face, b"cmap")
    (num,) = struct.unpack_from(">H", data, cmap + 2)
    subtables: dict[tuple[int, int], int] = {}
    for i in range(num):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
        subtables[(platform, encoding)] = cmap + offset
    for key in _PREFERRED_SUBTABLES:
        if key in subtables:
            sub = subtables[key]
            (fmt,) = struct.unpack_from(">H", data, sub)
            if fmt == 12:
                return _format12(data, sub)
            if fmt == 4:
                return _format4(data, sub)
    raise FontFormatError("no Unicode cmap subtable in format 4 or 12")


def _format12(data: bytes, sub: int) -> set[int]:
    (groups,) = struct.unpack_from(">I", data, sub + 12)
    points: set[int] = set()
    for i in range(groups):
        start, end, glyph = struct.unpack_from(">III", data, sub + 16 + 12 * i)
        points.update(range(start + (1 if glyph == 0 else 0), end + 1))
    return points


def _format4(data: bytes, sub: int) -> set[int]:
    seg_x2 = struct.unpack_from(">H", data, sub + 6)[0]
    ends_at = sub + 14
    starts_at = ends_at + seg_x2 + 2
    deltas_at = starts_at + seg_x2
    ranges_at = deltas_at + seg_x2
    points: set[int] = set()
    for seg in range(seg_x2 // 2):
        end, start, delta, range_offset = (
            struct.unpack_from(">H", data, at + 2 * seg)[0] for at in (ends_at, starts_at, deltas_at, ranges_at)
        )
        for code in range(start, min(end, 0xFFFE) + 1):
            if range_offset == 0:
                glyph = (code + delta) & 0xFFFF
            else:
                at = ranges_at + 2 * seg + range_offset + 2 * (code - start)
                glyph = struct.unpack_from(">H", data, at)[0]
                glyph = (glyph + delta) & 0xFFFF if glyph else 0
            if glyph:
                points.add(code)
    return points
