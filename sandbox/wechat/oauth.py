"""WeChat web authorisation (网页授权, snsapi_base), imitated.

`GET /sandbox/connect/oauth2/authorize?appid&redirect_uri&response_type=code&scope&state` — real
WeChat asks nobody for snsapi_base and redirects straight back with `?code=CODE&state=STATE`.
Here the "WeChat user" is whoever the simulator has selected: the `sandbox_openid` cookie
(set by the simulator) or `?openid=` (tests); with neither, a tiny page lists the sandbox's
users to choose from.  Codes are one-time and expire after 5 minutes, as in WeChat.

`GET /sandbox/sns/oauth2/access_token?appid&secret&code&grant_type=authorization_code` →
`{"access_token","expires_in","refresh_token","openid","scope"}`; 40029 invalid code,
40163 code already used, 40013/40125 bad appid/secret.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from html import escape
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from sandbox.wechat.platform import Platform

CODE_TTL_SECONDS = 300
HINT_COOKIE = "sandbox_openid"
INVALID_CODE = 40029
CODE_USED = 40163
SCOPES = ("snsapi_base", "snsapi_userinfo")


@dataclass
class Grant:
    openid: str
    scope: str
    expires_at: float
    used: bool = False


@dataclass
class OAuthCodes:
    grants: dict[str, Grant] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def issue(self, openid: str, scope: str, now: float) -> str:
        code = secrets.token_urlsafe(24)
        with self.lock:
            self.grants = {c: g for c, g in self.grants.items() if g.expires_at > now - CODE_TTL_SECONDS}
            self.grants[code] = Grant(openid, scope, now + CODE_TTL_SECONDS)
        return code

    def redeem(self, code: str, now: float) -> Grant | int:
        """The grant, once; else the WeChat errcode."""
        with self.lock:
            grant = self.grants.get(code)
            if grant is None or grant.expires_at <= now:
                return INVALID_CODE
            if grant.used:
                return CODE_USED
            grant.used = True
            return grant


def with_query(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    return urlunsplit(parts._replace(query=urlencode(query + list(params.items()))))


def _error_page(message: str) -> HTMLResponse:
    return HTMLResponse(f"<!doctype html><meta charset=utf-8><p>{escape(message)}</p>", status_code=400)


def _chooser(platform: Platform, request: Request) -> HTMLResponse:
    with platform.lock:
        users = sorted(platform.followers)
    links = "".join(f'<li><a href="{escape(with_query(str(request.url), openid=u))}">以 {escape(u)} 身份打开</a></li>'
                    for u in users) or "<li>（还没有模拟器用户）</li>"
    form = ('<form method="get">' + "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">'
                                            for k, v in request.query_params.items() if k != "openid")
            + '<input name="openid" placeholder="openid"> <button>打开</button></form>')
    return HTMLResponse('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
                        '<meta name="viewport" content="width=device-width,initial-scale=1"><title>微信授权（沙箱）</title>'
                        f"</head><body><h3>微信网页授权（沙箱）</h3><p>选择以哪个微信用户身份打开：</p><ul>{links}</ul>"
                        f"{form}</body></html>")


def oauth_routes(platform: Platform, codes: OAuthCodes | None = None) -> list[BaseRoute]:
    grants = codes or OAuthCodes()

    async def authorize(request: Request) -> Response:
        q = request.query_params
        if q.get("appid") != platform.config.app_id:
            return _error_page("appid 错误（10003 redirect_uri 域名与后台配置不一致或 appid 无效）")
        redirect_uri = q.get("redirect_uri", "")
        if not redirect_uri.startswith(("http://", "https://")):
            return _error_page("redirect_uri 参数错误")
        if q.get("response_type") != "code" or q.get("scope") not in SCOPES:
            return _error_page("scope 参数错误或没有 scope 权限")
        openid = q.get("openid") or request.cookies.get(HINT_COOKIE, "")
        if not openid:
            return _chooser(platform, request)
        code = grants.issue(openid, str(q.get("scope")), platform.now())
        return RedirectResponse(with_query(redirect_uri, code=code, state=q.get("state", "")), status_code=302)

    async def access_token(request: Request) -> Response:
        q = request.query_params
        bad = platform.check_credentials(q.get("appid", ""), q.get("secret", ""))
        if bad:
            return JSONResponse({"errcode": bad, "errmsg": "invalid appid or secret"})
        if q.get("grant_type") != "authorization_code":
            return JSONResponse({"errcode": 40002, "errmsg": "invalid grant_type"})
        grant = grants.redeem(q.get("code", ""), platform.now())
        if isinstance(grant, int):
            return JSONResponse({"errcode": grant, "errmsg": "invalid code" if grant == INVALID_CODE
                                 else "code been used"})
        return JSONResponse({"access_token": "SBX_WEB_" + secrets.token_urlsafe(16), "expires_in": 7200,
                             "refresh_token": "SBX_RT_" + secrets.token_urlsafe(16), "openid": grant.openid,
                             "scope": grant.scope})

    return [Route("/sandbox/connect/oauth2/authorize", authorize, methods=["GET"]),
            Route("/sandbox/sns/oauth2/access_token", access_token, methods=["GET"])]
