"""`GET /media/{path}`: catalog images and other media files under `{data_dir}/media`, served safely.

Only regular files strictly inside the media root are served: `..`, absolute
paths, NUL bytes, hidden files and symlinks that leave the root all get 404.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

ALLOWED_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".mp4", ".mp3", ".amr", ".pdf"})
CACHE_SECONDS = 3600


def media_url(public_base_url: str, image: str) -> str:
    """An image as stored in the catalog (a path under the media root, or a URL) → its public URL."""
    if not image or image.startswith(("http://", "https://")):
        return image
    return public_base_url.rstrip("/") + "/media/" + image.removeprefix("media/").lstrip("/")


def safe_media_path(root: Path, relative: str) -> Path | None:
    """The file `relative` names under `root`, or None when it is not a servable file inside it."""
    if not relative or "\x00" in relative or "\\" in relative:
        return None
    parts = relative.split("/")
    if any(p in ("", ".", "..") or p.startswith(".") for p in parts):
        return None
    root = root.resolve()
    try:
        target = (root / relative).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not target.is_relative_to(root) or not target.is_file():
        return None
    if target.suffix.lower() not in ALLOWED_SUFFIXES:
        return None
    return target


def media_routes(root: Path) -> list[BaseRoute]:
    async def media(request: Request) -> Response:
        target = safe_media_path(root, request.path_params["path"])
        if target is None:
            return PlainTextResponse("not found", status_code=404)
        media_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        headers = {"Cache-Control": f"public, max-age={CACHE_SECONDS}", "X-Content-Type-Options": "nosniff"}
        if target.suffix.lower() == ".svg":
            headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
        return FileResponse(target, media_type=media_type, headers=headers)

    return [Route("/media/{path:path}", media, methods=["GET", "HEAD"])]
