"""WeChat's servers calling us: `POST /sandbox/send` builds the callback a user's action
causes, signs (and encrypts) it, POSTs it to our callback URL — re-sending the same body
after `retry_after_seconds` without an answer, 3 attempts in all — and returns our
passive reply, decrypted, as JSON for the simulator."""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import Any
from xml.etree.ElementTree import Element

import httpx
from defusedxml.ElementTree import fromstring
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from sandbox.wechat import wire
from sandbox.wechat.platform import Platform

UNAVAILABLE = "该公众号暂时无法提供服务，请稍后再试"
_MODES = ("plaintext", "compat", "aes")
_msg_ids = itertools.count(int(time.time() * 1000) * 1000)


class SendError(ValueError):
    pass


def build_callback_xml(platform: Platform, action: dict[str, Any]) -> str:
    """The XML WeChat would send for this user action; records the action in the platform."""
    openid = str(action.get("openid", "")).strip()
    if not openid:
        raise SendError("openid is required")
    now = platform.now()
    created, gh = int(now), platform.config.original_id
    msgtype = str(action.get("msgtype", "text")).lower()
    with platform.lock:
        user = platform.follower(openid)
        if msgtype == "text":
            user.wrote(now)
            return wire.text_xml(gh, openid, created, str(action.get("content", "")), next(_msg_ids))
        if msgtype != "event":
            raise SendError(f"unsupported msgtype {msgtype!r}")
        return _event_xml(platform, action, openid, created)


def _event_xml(platform: Platform, action: dict[str, Any], openid: str, created: int) -> str:
    gh, now = platform.config.original_id, platform.now()
    user = platform.follower(openid)
    event = str(action.get("event", "")).strip()
    ticket = str(action.get("ticket", ""))
    scene = str(action.get("scene", ""))
    if event.lower() == "scan_qr":  # a user scans a QR image: WeChat decides subscribe vs SCAN
        qr = platform.live_qrcode(url=str(action.get("url", ""))) or platform.live_qrcode(ticket=ticket)
        if qr is None:
            raise SendError("unknown or expired QR code")
        event, scene, ticket = ("SCAN" if user.following else "subscribe"), qr.scene, qr.ticket
    if event.lower() == "subscribe":
        first_time = not user.following
        user.interacted(now)
        if first_time:
            user.subscribed_at, user.subscribe_scene = now, scene
        return wire.event_xml(gh, openid, created, "subscribe", f"qrscene_{scene}" if scene else "", ticket)
    if event.lower() == "unsubscribe":
        user.following = False
        return wire.event_xml(gh, openid, created, "unsubscribe")
    upper = event.upper()
    if upper in ("SCAN", "CLICK"):
        user.interacted(now)
        return wire.event_xml(gh, openid, created, upper, scene if upper == "SCAN" else str(action.get("key", "")),
                              ticket)
    if upper == "VIEW":
        return wire.event_xml(gh, openid, created, upper, str(action.get("key", "")))
    raise SendError(f"unsupported event {event!r}")


async def deliver(platform: Platform, xml: str, mode: str, openid: str) -> dict[str, Any]:
    """POST the sealed callback, re-sending on timeout; → {"status", "attempts", "reply"|"error"}."""
    c = platform.config
    envelope = wire.seal(xml, token=c.token, timestamp=str(int(platform.now())), nonce=wire.new_nonce(),
                         mode=mode, aes_key=c.encoding_aes_key, app_id=c.app_id, to_user=c.original_id,
                         openid=openid)  # type: ignore[arg-type]
    timeout = httpx.Timeout(c.retry_after_seconds, connect=c.retry_after_seconds)
    async with httpx.AsyncClient(transport=c.callback_transport, timeout=timeout) as client:
        for attempt in range(1, c.callback_attempts + 1):
            try:
                r = await asyncio.wait_for(
                    client.post(c.callback_url, params=envelope.query, content=envelope.body.encode(),
                                headers={"Content-Type": "text/xml"}),
                    c.retry_after_seconds,
                )
            except (httpx.TimeoutException, TimeoutError):
                continue
            except httpx.HTTPError as exc:
                return {"status": 0, "attempts": attempt, "reply": None, "error": f"{UNAVAILABLE} ({exc})"}
            return {"status": r.status_code, "attempts": attempt, **read_passive_reply(platform, r)}
    return {"status": 0, "attempts": c.callback_attempts, "reply": None, "error": f"{UNAVAILABLE} (timeout)"}


def read_passive_reply(platform: Platform, r: httpx.Response) -> dict[str, Any]:
    if r.status_code != 200:
        return {"reply": None, "error": f"{UNAVAILABLE} (HTTP {r.status_code})"}
    body = r.text.strip()
    if body in ("", "success"):
        return {"reply": None, "error": None}
    try:
        root = fromstring(body)
        if root.findtext("Encrypt"):
            root = _open(platform, root)
        return {"reply": reply_json(root), "error": None}
    except Exception as exc:  # noqa: BLE001 - any invalid body is what WeChat shows as unavailable
        return {"reply": None, "error": f"{UNAVAILABLE} (invalid reply: {exc})"}


def _open(platform: Platform, root: Element) -> Element:
    c = platform.config
    encrypted = root.findtext("Encrypt") or ""
    expected = wire.signature(c.token, root.findtext("TimeStamp") or "", root.findtext("Nonce") or "", encrypted)
    if expected != root.findtext("MsgSignature"):
        raise ValueError("bad MsgSignature on the encrypted reply")
    xml, app_id = wire.decrypt(encrypted, c.encoding_aes_key)
    if app_id != c.app_id:
        raise ValueError("encrypted reply for another AppID")
    return fromstring(xml)  # type: ignore[no-any-return]


def reply_json(root: Element) -> dict[str, Any]:
    msgtype = root.findtext("MsgType") or ""
    if msgtype == "text":
        return {"msgtype": "text", "content": root.findtext("Content") or ""}
    if msgtype == "news":
        items = root.findall("Articles/item")
        if len(items) != 1:
            raise ValueError(f"news reply with {len(items)} articles (WeChat allows 1)")
        fields = {"title": "Title", "description": "Description", "picurl": "PicUrl", "url": "Url"}
        return {"msgtype": "news", "articles": [{k: items[0].findtext(v) or "" for k, v in fields.items()}]}
    if msgtype == "image":
        return {"msgtype": "image", "media_id": root.findtext("Image/MediaId") or ""}
    if msgtype == "transfer_customer_service":
        return {"msgtype": msgtype}
    raise ValueError(f"unsupported reply MsgType {msgtype!r}")


def server_routes(platform: Platform) -> list[BaseRoute]:
    async def send(request: Request) -> Response:
        try:
            action = await request.json()
            if not isinstance(action, dict):
                raise SendError("a JSON object is required")
            mode = str(action.get("mode") or "plaintext")
            if mode not in _MODES or (mode != "plaintext" and not platform.config.encoding_aes_key):
                raise SendError(f"mode must be one of {_MODES} (compat/aes need an EncodingAESKey)")
            xml = build_callback_xml(platform, action)
        except (SendError, ValueError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        result = await deliver(platform, xml, mode, str(action["openid"]).strip())
        reply = result.get("reply")
        if reply and reply.get("media_id"):
            reply["url"] = str(request.url_for("sandbox_media", media_id=reply["media_id"]))
        return JSONResponse(result)

    return [Route("/sandbox/send", send, methods=["POST"])]
