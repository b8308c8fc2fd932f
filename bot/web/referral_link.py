"""Referral binding from a shared product link `/p/{id}?ref=<code>`, via WeChat web authorisation.

A page opened in WeChat does not say who is looking.  When the link carries a
distributor's `ref` and we do not know the viewer yet, the page bounces once
through WeChat's silent authorisation (scope `snsapi_base`, no prompt):

    /p/7?ref=AB12CD → {authorize_base}/connect/oauth2/authorize?…&state=S#wechat_redirect
                    → /p/7?ref=AB12CD&code=C&state=S → code exchanged for the openid → bind.

The openid is then remembered in a cookie encrypted and authenticated with the
personal-data key (AES-GCM), so later views bind without bouncing.  `state` is a
random nonce kept in a short cookie (login-CSRF guard).  Nothing here may break the
page: a refused, forged or used code, an unknown code or a binding failure all
render the product as usual — only without a binding.  Real WeChat authorises only
inside its own browser, so outside it (`only_in_wechat`) there is no bounce.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from commerce.privacy import crypto

log = logging.getLogger("bot.web.referral_link")

OPENID_COOKIE = "siyu_wx"
STATE_COOKIE = "siyu_wx_state"
COOKIE_PURPOSE = "wx-openid:"
REF_RE = re.compile(r"^[A-Za-z0-9]{4,16}$")
STATE_TTL_SECONDS = 300


@dataclass(frozen=True)
class LinkOAuth:
    authorize_base: str  # https://open.weixin.qq.com, or {public_base_url}/sandbox in the demo
    app_id: str
    public_base_url: str
    exchange: Callable[[str], str]  # code -> openid (`WeChatAPI.oauth_openid`), blocking
    bind: Callable[[str, str, int], object]  # (openid, ref code, product_id), blocking
    only_in_wechat: bool = True
    hint_cookie: str = ""  # sandbox: the simulator's current user; a different remembered openid is ignored
    remember_days: int = 30

    def authorize_url(self, redirect_uri: str, state: str) -> str:
        query = urlencode({"appid": self.app_id, "redirect_uri": redirect_uri, "response_type": "code",
                           "scope": "snsapi_base", "state": state})
        return f"{self.authorize_base.rstrip('/')}/connect/oauth2/authorize?{query}#wechat_redirect"


@dataclass
class LinkVisit:
    """What the page must do: bounce (`redirect`), and/or remember a newly learnt openid."""

    redirect: Response | None = None
    learnt_openid: str = ""


def referral_code(request: Request) -> str:
    ref = request.query_params.get("ref", "")
    return ref.upper() if REF_RE.match(ref) else ""


def remembered_openid(request: Request) -> str:
    value = request.cookies.get(OPENID_COOKIE, "")
    if not value:
        return ""
    try:
        plain = crypto.decrypt(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode())
    except (ValueError, binascii.Error, crypto.KeyRingError):  # forged, an old key, garbage: unknown viewer
        return ""
    return plain[len(COOKIE_PURPOSE):] if plain.startswith(COOKIE_PURPOSE) else ""


def remember(response: Response, oauth: LinkOAuth, openid: str) -> None:
    try:
        sealed = crypto.encrypt(COOKIE_PURPOSE + openid)
    except crypto.KeyRingError:
        return
    value = base64.urlsafe_b64encode(sealed.encode()).decode().rstrip("=")  # cookie-safe, no quoting
    response.set_cookie(OPENID_COOKIE, value, max_age=oauth.remember_days * 86400, path="/p", httponly=True,
                        samesite="lax", secure=oauth.public_base_url.startswith("https://"))
    response.delete_cookie(STATE_COOKIE, path="/p")


async def _bind(oauth: LinkOAuth, openid: str, ref: str, product_id: int) -> None:
    try:
        await run_in_threadpool(oauth.bind, openid, ref, product_id)
    except Exception:  # unknown/suspended code, database trouble: the page still shows
        log.warning("link referral %s for product %s not bound", ref, product_id, exc_info=True)


def _redirect_uri(oauth: LinkOAuth, request: Request) -> str:
    query = [(k, v) for k, v in request.query_params.multi_items() if k not in ("code", "state")]
    return oauth.public_base_url.rstrip("/") + request.url.path + ("?" + urlencode(query) if query else "")


async def _returned(oauth: LinkOAuth, request: Request, ref: str, product_id: int) -> LinkVisit:
    """Back from WeChat with `code` and `state`."""
    state = request.query_params.get("state", "")  # a reload finds its state cookie gone: no second exchange
    if not state or not secrets.compare_digest(state, request.cookies.get(STATE_COOKIE, "")):
        log.info("web authorisation state does not match; product page shown without binding")
        return LinkVisit()
    try:
        openid = await run_in_threadpool(oauth.exchange, request.query_params["code"])
    except Exception as exc:  # 40029 invalid, 40163 used, network: show the page anyway
        log.info("web authorisation code not exchanged: %s", exc)
        return LinkVisit()
    await _bind(oauth, openid, ref, product_id)
    return LinkVisit(learnt_openid=openid)


async def link_visit(oauth: LinkOAuth, request: Request, product_id: int) -> LinkVisit:
    """Bind the viewer of a `?ref=` link, bouncing through web authorisation once if needed."""
    ref = referral_code(request)
    if not ref:
        return LinkVisit()
    if "code" in request.query_params:
        return await _returned(oauth, request, ref, product_id)
    openid = remembered_openid(request)
    hint = request.cookies.get(oauth.hint_cookie, "") if oauth.hint_cookie else ""
    if openid and (not hint or hint == openid):
        await _bind(oauth, openid, ref, product_id)
        return LinkVisit()
    if oauth.only_in_wechat and "MicroMessenger" not in request.headers.get("user-agent", ""):
        return LinkVisit()
    state = secrets.token_hex(8)
    bounce = RedirectResponse(oauth.authorize_url(_redirect_uri(oauth, request), state), status_code=302)
    bounce.set_cookie(STATE_COOKIE, state, max_age=STATE_TTL_SECONDS, path="/p", httponly=True, samesite="lax",
                      secure=oauth.public_base_url.startswith("https://"))
    return LinkVisit(redirect=bounce)
