"""The web chat simulator at `/simulator`: a WeChat-like chat page that talks only to the
sandbox (`/sandbox/send`, `/sandbox/outbox`, `/sandbox/menu`, `/sandbox/qrcode/resolve`)."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"


def simulator_routes() -> list[BaseRoute]:
    page = (STATIC / "index.html").read_text(encoding="utf-8")

    async def simulator(_: Request) -> Response:
        return HTMLResponse(page, headers={"Cache-Control": "no-store"})

    return [
        Route("/simulator", simulator, methods=["GET"]),
        Mount("/simulator/static", StaticFiles(directory=STATIC), name="simulator_static"),
    ]
