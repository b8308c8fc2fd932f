"""WeChat's API server, imitated: real paths under `/sandbox/cgi-bin/…`, real JSON and errcodes."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from sandbox.wechat.platform import Platform

Handler = Callable[[Platform, Request, dict[str, Any]], Awaitable[dict[str, Any]]]
OK: dict[str, Any] = {"errcode": 0, "errmsg": "ok"}
TEMP_QR_MAX = 2_592_000
MEDIA_KINDS = {"image", "voice", "video", "thumb"}


def err(code: int, msg: str) -> dict[str, Any]:
    return {"errcode": code, "errmsg": msg}


def _authorised(platform: Platform, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Check `access_token` (40001 revoked/unknown, 42001 expired), parse JSON, call the handler."""

    async def endpoint(request: Request) -> Response:
        code = platform.token_error(request.query_params.get("access_token", ""))
        if code:
            return JSONResponse(err(code, "invalid credential" if code == 40001 else "access_token expired"))
        body: dict[str, Any] = {}
        if request.method == "POST" and not request.headers.get("content-type", "").startswith("multipart/"):
            try:
                body = json.loads(await request.body() or b"{}")
            except ValueError:
                return JSONResponse(err(47001, "data format error"))
        return JSONResponse(await handler(platform, request, body))

    return endpoint


async def token(platform: Platform, request: Request) -> Response:
    q = request.query_params
    if q.get("grant_type") != "client_credential":
        return JSONResponse(err(40002, "invalid grant_type"))
    code = platform.check_credentials(q.get("appid", ""), q.get("secret", ""))
    if code:
        return JSONResponse(err(code, "invalid appid or secret"))
    value, ttl = platform.issue_token(stable=False)
    return JSONResponse({"access_token": value, "expires_in": ttl})


async def stable_token(platform: Platform, request: Request) -> Response:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        return JSONResponse(err(47001, "data format error"))
    code = platform.check_credentials(str(body.get("appid", "")), str(body.get("secret", "")))
    if code:
        return JSONResponse(err(code, "invalid appid or secret"))
    value, ttl = platform.issue_token(stable=True, force=bool(body.get("force_refresh")))
    return JSONResponse({"access_token": value, "expires_in": ttl})


async def custom_send(platform: Platform, request: Request, body: dict[str, Any]) -> dict[str, Any]:
    openid, msgtype = str(body.get("touser", "")), str(body.get("msgtype", ""))
    entry, problem = _outbox_entry(platform, msgtype, body.get(msgtype))
    if problem:
        return problem
    code = platform.consume_cs_quota(openid)
    if code:
        msg = "response out of time limit or subscription is canceled" if code == 45015 else \
            "out of response count limit"
        return err(code, msg)
    platform.record(openid, entry)
    return dict(OK)


def _outbox_entry(platform: Platform, msgtype: str, part: Any) -> tuple[dict[str, Any], dict[str, Any] | None]:
    if not isinstance(part, dict):
        return {}, err(44002, f"empty post data for {msgtype!r}")
    if msgtype == "text":
        content = part.get("content")
        return {"msgtype": "text", "content": content}, None if content else err(44003, "empty content")
    if msgtype in ("image", "video"):
        media_id = str(part.get("media_id", ""))
        if platform.live_media(media_id) is None:
            return {}, err(40007, "invalid media_id")
        extra = {k: part.get(k, "") for k in ("title", "description")} if msgtype == "video" else {}
        return {"msgtype": msgtype, "media_id": media_id, **extra}, None
    if msgtype == "news":
        articles = part.get("articles")
        if not isinstance(articles, list) or not articles:
            return {}, err(44003, "empty news data")
        if len(articles) > 1:
            return {}, err(45008, "article size out of limit")
        return {"msgtype": "news", "articles": articles}, None
    return {}, err(40008, f"invalid message type {msgtype!r}")


async def template_send(platform: Platform, request: Request, body: dict[str, Any]) -> dict[str, Any]:
    openid = str(body.get("touser", ""))
    if not body.get("template_id"):
        return err(40037, "invalid template_id")
    follower = platform.followers.get(openid)
    if follower is None or not follower.following:
        return err(43004, "require subscribe")
    entry = {"msgtype": "template", "template_id": body["template_id"], "data": body.get("data", {}),
             "url": body.get("url", "")}
    stored = platform.record(openid, entry)
    return {**OK, "msgid": stored["id"]}


async def media_upload(platform: Platform, request: Request, body: dict[str, Any]) -> dict[str, Any]:
    kind = request.query_params.get("type", "")
    if kind not in MEDIA_KINDS:
        return err(40004, "invalid media type")
    form = await request.form()
    upload = form.get("media")
    if not isinstance(upload, UploadFile):
        return err(41005, "media data missing")
    data = await upload.read()
    if not data:
        return err(41005, "media data missing")
    if kind == "image" and len(data) > 2 * 1024 * 1024:
        return err(40009, "invalid image size")
    media = platform.store_media(kind, upload.filename or "media", upload.content_type or "", data)
    return {"type": kind, "media_id": media.media_id, "created_at": int(media.created_at)}


async def qrcode_create(platform: Platform, request: Request, body: dict[str, Any]) -> dict[str, Any]:
    action = str(body.get("action_name", ""))
    scene = (body.get("action_info") or {}).get("scene") or {}
    if action in ("QR_SCENE", "QR_LIMIT_SCENE"):
        value = str(scene.get("scene_id", ""))
        if not value.isdigit() or int(value) == 0:
            return err(40053, "invalid action info: scene_id")
    elif action in ("QR_STR_SCENE", "QR_LIMIT_STR_SCENE"):
        value = str(scene.get("scene_str", ""))
        if not 1 <= len(value) <= 64:
            return err(40053, "invalid action info: scene_str must be 1-64 characters")
    else:
        return err(40054, "invalid action name")
    temporary = action in ("QR_SCENE", "QR_STR_SCENE")
    expire = min(int(body.get("expire_seconds") or 30), TEMP_QR_MAX) if temporary else None
    qr = platform.issue_qrcode(action, value, expire)
    out: dict[str, Any] = {"ticket": qr.ticket, "url": qr.url}
    if expire is not None:
        out["expire_seconds"] = expire
    return out


async def menu_create(platform: Platform, request: Request, body: dict[str, Any]) -> dict[str, Any]:
    buttons = body.get("button")
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= 3:
        return err(40016, "invalid button size")
    for button in buttons:
        subs = button.get("sub_button") or []
        if len(subs) > 5:
            return err(40023, "invalid sub button size")
        if not button.get("name"):
            return err(40018, "invalid button name size")
    with platform.lock:
        platform.menu = {"button": buttons}
    return dict(OK)


async def menu_get(platform: Platform, request: Request, body: dict[str, Any]) -> dict[str, Any]:
    if platform.menu is None:
        return err(46003, "menu no exist")
    return {"menu": platform.menu}


async def user_info(platform: Platform, request: Request, body: dict[str, Any]) -> dict[str, Any]:
    openid = request.query_params.get("openid", "")
    follower = platform.followers.get(openid)
    if follower is None or not follower.following:
        return {"subscribe": 0, "openid": openid}
    return {"subscribe": 1, "openid": openid, "language": "zh_CN", "subscribe_time": int(follower.subscribed_at),
            "remark": "", "groupid": 0, "tagid_list": [],
            "subscribe_scene": "ADD_SCENE_QR_CODE" if follower.subscribe_scene else "ADD_SCENE_SEARCH",
            "qr_scene": 0, "qr_scene_str": follower.subscribe_scene}


async def ticket_getticket(platform: Platform, request: Request, body: dict[str, Any]) -> dict[str, Any]:
    if request.query_params.get("type") != "jsapi":
        return err(40097, "invalid args")
    ticket, ttl = platform.issue_jsapi_ticket()
    return {**OK, "ticket": ticket, "expires_in": ttl}


def api_routes(platform: Platform) -> list[BaseRoute]:
    def plain(fn: Callable[[Platform, Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            return await fn(platform, request)

        return endpoint

    base = "/sandbox/cgi-bin"
    authorised = {
        "message/custom/send": (custom_send, ["POST"]),
        "message/template/send": (template_send, ["POST"]),
        "media/upload": (media_upload, ["POST"]),
        "qrcode/create": (qrcode_create, ["POST"]),
        "menu/create": (menu_create, ["POST"]),
        "menu/get": (menu_get, ["GET"]),
        "user/info": (user_info, ["GET"]),
        "ticket/getticket": (ticket_getticket, ["GET"]),
    }
    routes: list[BaseRoute] = [Route(f"{base}/token", plain(token), methods=["GET"]),
                               Route(f"{base}/stable_token", plain(stable_token), methods=["POST"])]
    routes += [Route(f"{base}/{path}", _authorised(platform, fn), methods=methods)
               for path, (fn, methods) in authorised.items()]
    return routes
