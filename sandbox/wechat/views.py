"""The sandbox's own windows: the outbox, uploaded media, QR images and scans, the menu,
and the "this user paid" switch the pay sandbox flips (unlimited CS messages for 48 h)."""

from __future__ import annotations

import io
from typing import Any

import qrcode
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from sandbox.wechat.platform import Platform


def _media_url(request: Request, media_id: str) -> str:
    return str(request.url_for("sandbox_media", media_id=media_id))


def outbox_entry_view(request: Request, entry: dict[str, Any]) -> dict[str, Any]:
    if "media_id" in entry:
        return {**entry, "url": _media_url(request, entry["media_id"])}
    return entry


def view_routes(platform: Platform) -> list[BaseRoute]:
    async def outbox(request: Request) -> Response:
        openid = request.query_params.get("openid", "")
        if not openid:
            return JSONResponse({"error": "openid is required"}, status_code=400)
        after = request.query_params.get("after", "0")
        messages = platform.messages_for(openid, int(after) if after.isdigit() else 0)
        return JSONResponse({"messages": [outbox_entry_view(request, m) for m in messages]})

    async def media(request: Request) -> Response:
        found = platform.live_media(request.path_params["media_id"])
        if found is None:
            return JSONResponse({"errcode": 40007, "errmsg": "invalid media_id"}, status_code=404)
        return Response(platform.media_bytes(found), media_type=found.content_type or "application/octet-stream")

    async def showqrcode(request: Request) -> Response:
        qr = platform.live_qrcode(ticket=request.query_params.get("ticket", ""))
        if qr is None:
            return JSONResponse({"errcode": 40097, "errmsg": "invalid ticket"}, status_code=404)
        return Response(qr_png(qr.url), media_type="image/png")

    async def resolve(request: Request) -> Response:
        qr = platform.live_qrcode(url=request.query_params.get("url", ""))
        if qr is None:
            return JSONResponse({"error": "unknown or expired QR code"}, status_code=404)
        return JSONResponse({"scene_str": qr.scene, "ticket": qr.ticket, "action_name": qr.action})

    async def recent_qrcodes(request: Request) -> Response:
        return JSONResponse({"qrcodes": [{"url": q.url, "scene_str": q.scene, "ticket": q.ticket,
                                          "image": str(request.url_for("sandbox_showqrcode")) + f"?ticket={q.ticket}"}
                                         for q in platform.recent_qrcodes()]})

    async def menu(request: Request) -> Response:
        return JSONResponse(platform.menu or platform.config.menu or {"button": []})

    async def info(request: Request) -> Response:
        c = platform.config
        return JSONResponse({"account": c.original_id, "safe_mode": bool(c.encoding_aes_key)})

    async def paid(request: Request) -> Response:
        openid = request.path_params["openid"]
        with platform.lock:
            platform.follower(openid).paid(platform.now())
        return JSONResponse({"ok": True})

    return [
        Route("/sandbox/outbox", outbox, methods=["GET"]),
        Route("/sandbox/media/{media_id}", media, methods=["GET"], name="sandbox_media"),
        Route("/sandbox/showqrcode", showqrcode, methods=["GET"], name="sandbox_showqrcode"),
        Route("/sandbox/qrcode/resolve", resolve, methods=["GET"]),
        Route("/sandbox/qrcodes", recent_qrcodes, methods=["GET"]),
        Route("/sandbox/menu", menu, methods=["GET"]),
        Route("/sandbox/info", info, methods=["GET"]),
        Route("/sandbox/users/{openid}/paid", paid, methods=["POST"]),
    ]


def qr_png(data: str) -> bytes:
    image = qrcode.make(data, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
