"""Build callbacks as WeChat's servers would (via the sandbox's wire module) and app fixtures."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from bot.edge import EdgeConfig, WeChatEndpoint
from bot.edge.ports import LateDelivery
from bot.kv import KV
from bot.messages import Inbound, Reply, TextReply
from sandbox.wechat import wire

TOKEN = "edge-test-token"
APP_ID = "wx_edge_test_app"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
GH = "gh_edge_test"
_msg_ids = itertools.count(int(time.time() * 1000))


def config(**overrides: object) -> EdgeConfig:
    values: dict[str, object] = {"token": TOKEN, "app_id": APP_ID, "encoding_aes_key": AES_KEY,
                                 "original_id": GH, "reply_deadline_seconds": 2.0}
    values.update(overrides)
    return EdgeConfig(**values)  # type: ignore[arg-type]


def echo(inbound: Inbound) -> Reply:
    return TextReply(f"echo:{inbound.kind}:{inbound.text}")


def client(respond: Callable[[Inbound], Reply], kv: KV, *, late: LateDelivery | None = None,
           **overrides: object) -> TestClient:
    """The endpoint served as in production: POST through `FrontDoor` straight to `endpoint.post`,
    GET (URL verification) through the router."""
    from siyu.app import FrontDoor

    endpoint = WeChatEndpoint(config(**overrides), respond, kv, late=late)
    app = Starlette(routes=[Route("/wechat", endpoint.handle, methods=["GET", "POST"])])
    return TestClient(FrontDoor(app, endpoint.post))


def next_msg_id() -> int:
    return next(_msg_ids)


def text(content: str, openid: str = "o_user", msg_id: int | None = None) -> str:
    return wire.text_xml(GH, openid, int(time.time()), content, msg_id or next_msg_id())


def sealed(xml: str, mode: wire.Mode = "plaintext", *, timestamp: int | None = None,
           token: str = TOKEN, app_id: str = APP_ID) -> wire.Envelope:
    return wire.seal(xml, token=token, timestamp=str(timestamp or int(time.time())), nonce=wire.new_nonce(),
                     mode=mode, aes_key=AES_KEY, app_id=app_id, to_user=GH)


def post(c: TestClient, envelope: wire.Envelope) -> object:
    return c.post("/wechat", params=envelope.query, content=envelope.body.encode(),
                  headers={"Content-Type": "text/xml"})
