"""Wiring the WeChat edge: `/wechat`, the WeChat API client, the send-later path and — when
`sandbox.enabled` — the WeChat sandbox (`/sandbox/...`) and the simulator (`/simulator`).

- `effective_api_base(settings)`  the sandbox at `{public_base_url}/sandbox` when the sandbox
                                   is enabled and `wechat.api_base` is left at the real default.
- `build_wechat_api(c)` / `build_outbound(c)` / `build_wechat_sandbox(c)`  for `Container`.
- `wechat_routes(c)`, `edge_routes(c)`  the route providers (in `siyu/routes.py`).
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.routing import BaseRoute, Route

from bot.dialogue.state import StateStore
from bot.edge import EdgeConfig, WeChatEndpoint
from bot.messages import Inbound, Reply, TextReply
from bot.outbound import Outbound
from bot.wechat_api import REAL_API_BASE, WeChatAPI
from siyu.container import Container
from siyu.logs import hash_openid, openid_var, request_id_var
from siyu.settings import Settings

log = logging.getLogger("siyu.edge")


def effective_api_base(settings: Settings) -> str:
    base = settings.wechat.api_base.rstrip("/")
    if settings.sandbox.enabled and base == REAL_API_BASE:
        return settings.public_base_url.rstrip("/") + "/sandbox"
    return base


def build_wechat_api(c: Container) -> WeChatAPI:
    w = c.settings.wechat
    return WeChatAPI(effective_api_base(c.settings), w.app_id, w.app_secret, c.kv)


def build_outbound(c: Container) -> Outbound:
    return Outbound(c.wechat_api, c.kv, templates=c.settings.wechat.templates,
                    quota_per_48h=c.settings.sandbox.cs_quota_per_48h if c.settings.sandbox.enabled else 5)


def build_wechat_sandbox(c: Container) -> Any:
    from sandbox import build
    from sandbox.wechat import WeChatSandboxConfig

    s, w = c.settings, c.settings.wechat
    config = WeChatSandboxConfig(
        app_id=w.app_id, app_secret=w.app_secret, token=w.token, original_id=w.original_id,
        encoding_aes_key=w.encoding_aes_key, callback_url=s.public_base_url.rstrip("/") + "/wechat",
        retry_after_seconds=s.sandbox.retry_after_seconds, token_ttl_seconds=s.sandbox.token_ttl_seconds,
        cs_quota_per_48h=s.sandbox.cs_quota_per_48h, media_dir=c.data_dir / "sandbox" / "wechat_media",
        menu=dict(w.menu),
    )
    return build(config)


def edge_config(settings: Settings) -> EdgeConfig:
    w = settings.wechat
    return EdgeConfig(token=w.token, app_id=w.app_id, encoding_aes_key=w.encoding_aes_key,
                      original_id=w.original_id, timestamp_tolerance_seconds=w.timestamp_tolerance_seconds,
                      reply_deadline_seconds=w.reply_deadline_seconds, max_body_bytes=w.max_body_bytes,
                      dedup_ttl_seconds=w.dedup_ttl_seconds,
                      worker_threads=min(EdgeConfig.worker_threads, settings.database.pool_size),
                      cooperative=w.cooperative_dialogue and settings.database_url.startswith("postgresql"),
                      max_cooperative=settings.database.pool_size)


def _bind_log_context(request_id: str, openid: str) -> None:
    request_id_var.set(request_id)
    openid_var.set(hash_openid(openid))


def _prefetch(inbound: Inbound) -> tuple[str, ...]:
    """What a reply reads from the cache: the dialogue state and the user's queue of waiting CS messages."""
    return (StateStore.key(inbound.openid), Outbound.pending_key(inbound.openid))


def _echo(inbound: Inbound) -> Reply:
    return TextReply(f"[echo] {inbound.text or inbound.event or inbound.kind}")


def dialogue_respond(c: Container) -> Any:
    """`c.dialogue.respond`, built now so the first message is not slow; an echo if it cannot load."""
    try:
        return c.dialogue.respond
    except ModuleNotFoundError:
        log.warning("dialogue not available; /wechat answers with an echo", exc_info=True)
        return _echo


def build_wechat_endpoint(c: Container) -> WeChatEndpoint:
    return WeChatEndpoint(edge_config(c.settings), dialogue_respond(c), c.kv, late=c.outbound,
                          bind_log_context=_bind_log_context, prefetch=_prefetch)


def wechat_routes(c: Container) -> list[BaseRoute]:
    """`/wechat` (POST reaches `c.wechat_endpoint.post` before the router: `siyu.app.FrontDoor`)."""
    return [Route("/wechat", c.wechat_endpoint.handle, methods=["GET", "POST"])]


def edge_routes(c: Container) -> list[BaseRoute]:
    """With the sandbox on: WeChat's imitation under `/sandbox/...` and the simulator."""
    return c.wechat_sandbox.routes() if c.settings.sandbox.enabled else []
