"""The WeChat official-account API (customer-service messages, media, QR codes, menu, templates).

`WeChatAPI` talks HTTP (sync httpx, with timeouts) to `base_url` — the real
`https://api.weixin.qq.com` or the sandbox at `{public_base_url}/sandbox`.  The
access token lives in the central KV (one token for every process) and is
refreshed early through `stable_token`; 40001/40014/42001 refresh once and retry.
Errors: 45015 → `OutsideWindow`, 45047 → `QuotaExceeded`, network/-1/5xx →
`TransientAPIError` (the only ones a worker should retry).
The JS-SDK jsapi_ticket is shared in the KV the same way (fetched again after ~7000 s).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from bot.kv import KV

log = logging.getLogger("bot.wechat_api")

REAL_API_BASE = "https://api.weixin.qq.com"
REAL_QRCODE_BASE = "https://mp.weixin.qq.com/cgi-bin"
TOKEN_ERRORS = frozenset({40001, 40014, 42001})
TEMP_QR_MAX_SECONDS = 2_592_000
JSAPI_TICKET_REFRESH_SECONDS = 7000  # WeChat's tickets live 7200 s


class WeChatAPIError(Exception):
    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"WeChat API error {errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


class OutsideWindow(WeChatAPIError):
    """45015: the user has not written within 48 h (or unfollowed) — CS messages are closed."""


class QuotaExceeded(WeChatAPIError):
    """45047: the customer-service quota for this user's window is used up."""


class TransientAPIError(WeChatAPIError):
    """Network trouble, -1 (system busy) or 5xx: safe to retry later."""


_ERRORS: dict[int, type[WeChatAPIError]] = {45015: OutsideWindow, 45047: QuotaExceeded, -1: TransientAPIError}


def raise_for_errcode(data: dict[str, Any]) -> None:
    code = int(data.get("errcode") or 0)
    if code:
        raise _ERRORS.get(code, WeChatAPIError)(code, str(data.get("errmsg", "")))


@dataclass(frozen=True)
class QrTicket:
    ticket: str
    url: str  # what the QR code encodes (http://weixin.qq.com/q/…)
    expire_seconds: int | None  # None for permanent codes


class WeChatAPI:
    def __init__(self, base_url: str, app_id: str, app_secret: str, kv: KV, *,
                 http: httpx.Client | None = None, timeout_seconds: float = 5.0,
                 refresh_margin_seconds: int = 300, qrcode_base: str = "",
                 clock: Callable[[], float] = time.time) -> None:
        self._base = base_url.rstrip("/")
        self._app_id = app_id
        self._secret = app_secret
        self._kv = kv
        self._http = http or httpx.Client(timeout=httpx.Timeout(timeout_seconds, connect=3.0))
        self._margin = refresh_margin_seconds
        self._qrcode_base = qrcode_base or (REAL_QRCODE_BASE if self._base == REAL_API_BASE else self._base)
        self._token_key = f"wx:token:{app_id}"
        self._ticket_key = f"wx:jsapi-ticket:{app_id}"
        self._clock = clock

    # -- customer-service messages ----------------------------------------
    def send_text(self, openid: str, text: str) -> None:
        self._custom(openid, "text", {"content": text})

    def send_image(self, openid: str, media_id: str) -> None:
        self._custom(openid, "image", {"media_id": media_id})

    def send_news(self, openid: str, title: str, description: str, url: str, picurl: str = "") -> None:
        article = {"title": title, "description": description, "url": url, "picurl": picurl}
        self._custom(openid, "news", {"articles": [article]})

    def send_video(self, openid: str, media_id: str, title: str, description: str) -> None:
        self._custom(openid, "video", {"media_id": media_id, "title": title, "description": description})

    def _custom(self, openid: str, msgtype: str, body: dict[str, Any]) -> None:
        self.call("POST", "message/custom/send", {"touser": openid, "msgtype": msgtype, msgtype: body})

    def send_template(self, openid: str, template_id: str, data: dict[str, Any], url: str | None = None) -> int:
        payload: dict[str, Any] = {"touser": openid, "template_id": template_id, "data": data}
        if url:
            payload["url"] = url
        return int(self.call("POST", "message/template/send", payload).get("msgid", 0))

    # -- media, QR codes, menu, users ----------------------------------------
    def upload_media(self, kind: str, data: bytes, filename: str) -> str:
        files = {"media": (filename, data, _content_type(filename))}
        return str(self.call("POST", "media/upload", params={"type": kind}, files=files)["media_id"])

    def create_qrcode(self, scene_str: str, expire_seconds: int = TEMP_QR_MAX_SECONDS) -> QrTicket:
        payload = {"expire_seconds": min(expire_seconds, TEMP_QR_MAX_SECONDS), "action_name": "QR_STR_SCENE",
                   "action_info": {"scene": {"scene_str": scene_str}}}
        data = self.call("POST", "qrcode/create", payload)
        return QrTicket(data["ticket"], data["url"], int(data.get("expire_seconds") or expire_seconds))

    def create_permanent_qrcode(self, scene_str: str) -> QrTicket:
        payload = {"action_name": "QR_LIMIT_STR_SCENE", "action_info": {"scene": {"scene_str": scene_str}}}
        data = self.call("POST", "qrcode/create", payload)
        return QrTicket(data["ticket"], data["url"], None)

    def qrcode_image_url(self, ticket: str) -> str:
        return str(httpx.URL(f"{self._qrcode_base}/showqrcode", params={"ticket": ticket}))

    def create_menu(self, menu: dict[str, Any]) -> None:
        self.call("POST", "menu/create", menu)

    def user_info(self, openid: str) -> dict[str, Any]:
        return self.call("GET", "user/info", params={"openid": openid, "lang": "zh_CN"})

    # -- web authorisation (网页授权) -------------------------------------------
    def oauth_openid(self, code: str) -> str:
        """Exchange a snsapi_base `code` (one use, 5 min) for the viewer's openid.

        Raises `WeChatAPIError` (40029 invalid code, 40163 code already used, …) or
        `TransientAPIError`; the web access token it returns is not kept (snsapi_base needs none).
        """
        params = {"appid": self._app_id, "secret": self._secret, "code": code, "grant_type": "authorization_code"}
        data = self._request("GET", "/sns/oauth2/access_token", params, None, None)
        raise_for_errcode(data)
        openid = str(data.get("openid") or "")
        if not openid:
            raise WeChatAPIError(-2, "oauth2/access_token answered without an openid")
        return openid

    # -- JS-SDK (wx.config) -----------------------------------------------------
    def jsapi_ticket(self) -> str:
        """The jsapi_ticket for `wx.config` signatures, one for every process (KV), fetched again after
        ~7000 s; `call` refreshes a rejected access token (40001/42001) once, as for any API."""
        cached = self._kv.get(self._ticket_key)
        if cached:
            ticket, _, refresh_at = cached.partition("|")
            if float(refresh_at or 0) > self._clock():
                return ticket
        data = self.call("GET", "ticket/getticket", params={"type": "jsapi"})
        ticket, ttl = str(data["ticket"]), int(data.get("expires_in", 7200))
        refresh_at = self._clock() + min(JSAPI_TICKET_REFRESH_SECONDS, ttl - min(self._margin, ttl / 10))
        self._kv.set(self._ticket_key, f"{ticket}|{refresh_at}", ttl=ttl)
        return ticket

    # -- plumbing ------------------------------------------------------------
    def call(self, method: str, path: str, payload: dict[str, Any] | None = None, *,
             params: dict[str, str] | None = None, files: dict[str, Any] | None = None) -> dict[str, Any]:
        """One API call with the shared token; a rejected token is refreshed once and retried."""
        token = self.access_token()
        for attempt in (1, 2):
            data = self._request(method, f"/cgi-bin/{path}", {**(params or {}), "access_token": token},
                                 payload, files)
            code = int(data.get("errcode") or 0)
            if code in TOKEN_ERRORS and attempt == 1:
                log.info("access token rejected (%s); refreshing once", code)
                token = self.access_token(rejected=token)
                continue
            raise_for_errcode(data)
            return data
        raise AssertionError("unreachable")

    def access_token(self, rejected: str | None = None) -> str:
        cached = self._kv.get(self._token_key)
        if cached:
            token, _, refresh_at = cached.partition("|")
            if token != rejected and float(refresh_at or 0) > self._clock():
                return token
        token = self._refresh(force=False)
        if token == rejected:  # the server still hands out the token it rejects: force a new one
            token = self._refresh(force=True)
        return token

    def _refresh(self, force: bool) -> str:
        body = {"grant_type": "client_credential", "appid": self._app_id, "secret": self._secret,
                "force_refresh": force}
        data = self._request("POST", "/cgi-bin/stable_token", None, body, None)
        raise_for_errcode(data)
        token, ttl = str(data["access_token"]), int(data.get("expires_in", 7200))
        refresh_at = self._clock() + ttl - min(self._margin, ttl / 10)  # refresh early, before expiry
        self._kv.set(self._token_key, f"{token}|{refresh_at}", ttl=ttl)
        return token

    def _request(self, method: str, path: str, params: dict[str, str] | None,
                 payload: dict[str, Any] | None, files: dict[str, Any] | None) -> dict[str, Any]:
        content = json.dumps(payload, ensure_ascii=False).encode() if payload is not None else None
        headers = {"Content-Type": "application/json"} if content is not None else None
        try:
            r = self._http.request(method, self._base + path, params=params, content=content, files=files,
                                   headers=headers)
        except httpx.HTTPError as exc:
            raise TransientAPIError(-1, f"{type(exc).__name__}: {exc}") from exc
        if r.status_code >= 500:
            raise TransientAPIError(-1, f"HTTP {r.status_code}")
        try:
            data = r.json()
        except ValueError:
            raise WeChatAPIError(-2, f"HTTP {r.status_code}, not JSON") from None
        if not isinstance(data, dict):
            raise WeChatAPIError(-2, "response is not a JSON object")
        return data


def jsapi_signature(ticket: str, noncestr: str, timestamp: int, url: str) -> str:
    """`wx.config`'s signature: sha1 of the four fields in this order; `url` is the page's, without `#…`."""
    raw = f"jsapi_ticket={ticket}&noncestr={noncestr}&timestamp={timestamp}&url={url.split('#')[0]}"
    return hashlib.sha1(raw.encode()).hexdigest()


def _content_type(filename: str) -> str:
    lower = filename.lower()
    if lower.endswith(".png"):
        return "image/png"
    if lower.endswith((".jpg", ".jpeg")):
        return "image/jpeg"
    if lower.endswith(".mp4"):
        return "video/mp4"
    return "application/octet-stream"
