"""QR codes for posters: error correction M, a 4-module quiet zone, LRU-cached.

Building the matrix with `qrcode` costs ~9 ms (mask selection in pure
Python), so matrices are cached per (content, version) and the scaled images
per pixel size.  Modules are whole pixels (the code is centred in its box)
so that every scanner reads it.
"""

from __future__ import annotations

from functools import lru_cache

import qrcode
from PIL import Image
from qrcode.exceptions import DataOverflowError

QUIET_ZONE = 4
ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M
MAX_VERSION = 40


class QRContentTooLong(ValueError):
    """The content does not fit the requested QR version (or any version)."""

    def __init__(self, length: int, version: int | None) -> None:
        where = f"version {version}" if version else f"any QR version (max {MAX_VERSION})"
        super().__init__(f"QR content of {length} bytes does not fit {where} at error correction M")
        self.length = length
        self.version = version


@lru_cache(maxsize=1024)
def qr_matrix(content: str, version: int | None = None) -> tuple[int, bytes]:
    """(side in modules incl. quiet zone, one byte per module: 0 dark, 255 light)."""
    code = qrcode.QRCode(version=version, error_correction=ERROR_CORRECTION, border=QUIET_ZONE)
    code.add_data(content)
    try:
        code.make(fit=version is None)
    except (DataOverflowError, ValueError) as exc:
        raise QRContentTooLong(len(content.encode()), version) from exc
    rows = code.get_matrix()
    return len(rows), bytes(0 if dark else 255 for row in rows for dark in row)


@lru_cache(maxsize=256)
def qr_image(content: str, size: int, version: int | None = None) -> Image.Image:
    """A `size`×`size` greyscale image of the code, whole-pixel modules, centred on white."""
    side, pixels = qr_matrix(content, version)
    matrix = Image.frombytes("L", (side, side), pixels)
    scale = max(1, size // side)
    scaled = matrix.resize((side * scale, side * scale), Image.Resampling.NEAREST)
    if scaled.width == size:
        return scaled
    canvas = Image.new("L", (max(size, scaled.width),) * 2, 255)
    offset = (canvas.width - scaled.width) // 2
    canvas.paste(scaled, (offset, offset))
    return canvas
