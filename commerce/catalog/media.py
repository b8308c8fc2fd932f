"""Product images: a URL is kept as is; a local file is copied under `{data_dir}/media/products/`.

Stored references are `media/products/<spu_code>-<hash><ext>` (relative to data_dir; the
web edge serves `/media/...`) or the URL.  The name depends on the content, so
re-importing the same file does not copy it again.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

MEDIA_SUBDIR = Path("media") / "products"
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif"})
MAX_IMAGE_BYTES = 10 * 1024 * 1024
_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


class MediaError(ValueError):
    pass


def is_url(ref: str) -> bool:
    return ref.startswith(("http://", "https://"))


def source_path(ref: str, source_dir: Path) -> Path:
    path = Path(ref).expanduser()
    return path if path.is_absolute() else source_dir / path


def check_image(ref: str, source_dir: Path) -> None:
    """Raise MediaError when `ref` is neither a URL nor a readable image file of a known type."""
    if is_url(ref):
        return
    path = source_path(ref, source_dir)
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        raise MediaError(f"image: {ref!r} is not a .jpg/.png/.webp/.gif file / 图片格式不支持")
    if not path.is_file():
        raise MediaError(f"image: file {ref!r} not found / 找不到图片文件")
    if path.stat().st_size > MAX_IMAGE_BYTES:
        raise MediaError(f"image: {ref!r} is larger than 10 MB / 图片超过 10MB")


def store_image(ref: str, source_dir: Path, data_dir: Path, spu_code: str) -> str:
    """Copy a local image into the media directory (once); return the stored reference."""
    if is_url(ref):
        return ref
    check_image(ref, source_dir)
    path = source_path(ref, source_dir)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    name = f"{_SAFE.sub('_', spu_code)}-{digest}{path.suffix.lower()}"
    return save_media(data_dir, name, path)


def save_media(data_dir: Path, name: str, source: Path | bytes) -> str:
    """Write `source` (a file or bytes) to `{data_dir}/media/products/name` unless already there."""
    target = data_dir / MEDIA_SUBDIR / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".part")
        if isinstance(source, bytes):
            tmp.write_bytes(source)
        else:
            shutil.copyfile(source, tmp)
        tmp.replace(target)
    return (MEDIA_SUBDIR / name).as_posix()
