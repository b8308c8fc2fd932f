"""Our /wechat endpoint and the WeChat sandbox in one in-process app, wired like `siyu/edge.py`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

import sandbox
from bot.edge import EdgeConfig, WeChatEndpoint
from bot.kv import MemoryKV
from bot.messages import Inbound, Reply
from bot.outbound import Outbound
from bot.wechat_api import WeChatAPI
from sandbox.wechat import WeChatSandbox, WeChatSandboxConfig

APP_ID, SECRET, TOKEN, GH = "wx_e2e_app", "e2e-secret", "e2e-token", "gh_e2e"
AES_KEY = "ZYXWVUTSRQPONMLKJIHGFEDCBA0123456789abcdefg"


@dataclass
class Harness:
    http: TestClient
    wechat: WeChatSandbox
    outbound: Outbound

    def send(self, openid: str, mode: str = "plaintext", **action: Any) -> dict[str, Any]:
        action.setdefault("msgtype", "text")
        r = self.http.post("/sandbox/send", json={"openid": openid, "mode": mode, **action})
        assert r.status_code == 200, r.text
        return r.json()  # type: ignore[no-any-return]

    def outbox(self, openid: str) -> list[dict[str, Any]]:
        return self.http.get("/sandbox/outbox", params={"openid": openid}).json()["messages"]  # type: ignore[no-any-return]


def harness(respond: Callable[[Inbound], Reply], *, deadline: float = 2.0, templates: dict[str, str] | None = None,
            **sandbox_config: Any) -> Iterator[Harness]:
    kv = MemoryKV()
    cfg = WeChatSandboxConfig(app_id=APP_ID, app_secret=SECRET, token=TOKEN, original_id=GH,
                              encoding_aes_key=AES_KEY, callback_url="http://testserver/wechat", **sandbox_config)
    box = sandbox.build(cfg)
    app = Starlette()
    with TestClient(app) as http:
        api = WeChatAPI("http://testserver/sandbox", APP_ID, SECRET, kv, http=http)
        outbound = Outbound(api, kv, templates=templates)
        edge = WeChatEndpoint(EdgeConfig(token=TOKEN, app_id=APP_ID, encoding_aes_key=AES_KEY, original_id=GH,
                                         reply_deadline_seconds=deadline), respond, kv, late=outbound)
        app.router.routes.extend([Route("/wechat", edge.handle, methods=["GET", "POST"]), *box.routes()])
        cfg.callback_transport = httpx.ASGITransport(app=app)
        yield Harness(http, box.wechat, outbound)
        edge.close()
