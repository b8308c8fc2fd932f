"""A sandbox on a controllable clock, served in-process, and a WeChatAPI client pointed at it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.testclient import TestClient

import sandbox
from bot.kv import KV, MemoryKV
from bot.wechat_api import WeChatAPI
from sandbox.wechat import WeChatSandbox, WeChatSandboxConfig

APP_ID, SECRET, TOKEN = "wx_sandbox_test", "sandbox-secret", "sandbox-token"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


class Clock:
    def __init__(self) -> None:
        self.t = 1_800_000_000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@dataclass
class World:
    clock: Clock
    wechat: WeChatSandbox
    http: TestClient
    kv: KV

    def api(self, **kw: object) -> WeChatAPI:
        kw.setdefault("clock", self.clock)
        return WeChatAPI("http://testserver/sandbox", APP_ID, SECRET, self.kv, http=self.http, **kw)  # type: ignore[arg-type]

    def user_writes(self, openid: str) -> None:
        self.wechat.platform.follower(openid).wrote(self.clock())

    def user_clicks(self, openid: str) -> None:
        self.wechat.platform.follower(openid).interacted(self.clock())

    def outbox(self, openid: str) -> list[dict[str, object]]:
        return self.http.get("/sandbox/outbox", params={"openid": openid}).json()["messages"]  # type: ignore[no-any-return]


def make_world(kv: KV | None = None, **config: object) -> Iterator[World]:
    clock = Clock()
    cfg = WeChatSandboxConfig(app_id=APP_ID, app_secret=SECRET, token=TOKEN, encoding_aes_key=AES_KEY,
                              clock=clock, **config)  # type: ignore[arg-type]
    box = sandbox.build(cfg)
    with TestClient(Starlette(routes=box.routes())) as http:
        yield World(clock, box.wechat, http, kv or MemoryKV())
