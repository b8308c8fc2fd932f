"""The cache traffic of one chat message: two round trips (claim + read-ahead, then one batch of writes).

Through the public entry point — a signed message into `/wechat` — with the real
dialogue-state store and send-later bookkeeping on real Redis; a counting wrapper records
each call that reaches Redis (every call of the inner store is one round trip).
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.routing import Route

from bot.dialogue.state import DialogState, StateStore
from bot.edge import WeChatEndpoint
from bot.kv import BatchingKV
from bot.messages import Inbound, Reply, TextReply
from bot.outbound import Outbound
from tests.integration.edge import callbacks as cb
from tests.integration.edge.test_retries_and_deadline import plain_reply


class Counting:
    """Passes every call to the real store and counts it."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls: list[str] = []
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        target = getattr(self.inner, name)

        def call(*args: Any, **kw: Any) -> Any:
            with self._lock:
                self.calls.append(name)
            return target(*args, **kw)

        return call


def app_with(kv: BatchingKV) -> httpx.AsyncClient:
    store = StateStore(kv)

    def respond(inbound: Inbound) -> Reply:
        try:
            state = store.load(inbound.openid)
        except ConnectionError:  # as the dialogue engine does: a broken cache starts a fresh state
            state = DialogState()
        seen = state.query + inbound.text
        try:
            store.save(inbound.openid, replace(state, query=seen))
        except ConnectionError:
            pass
        return TextReply(f"你说过：{seen}")

    outbound = Outbound(None, kv)  # type: ignore[arg-type]  # note_inbound never calls the API
    endpoint = WeChatEndpoint(cb.config(), respond, kv, late=outbound,
                              prefetch=lambda i: (StateStore.key(i.openid), Outbound.pending_key(i.openid)))
    app = Starlette(routes=[Route("/wechat", endpoint.handle, methods=["POST"])])
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://edge.test")


async def test_a_message_costs_two_cache_round_trips_and_its_state_is_saved(kv: Any) -> None:
    counting = Counting(kv)
    batching = BatchingKV(counting)  # type: ignore[arg-type]
    async with app_with(batching) as client:
        replies = []
        for word in ("橙", "子"):
            counting.calls.clear()
            e = cb.sealed(cb.text(word, openid="o_rt"))
            replies.append(plain_reply(await client.post("/wechat", params=e.query, content=e.body.encode())))
            assert counting.calls == ["aclaim_then_get", "aset_then_get"]  # both awaited on the loop
    assert replies == ["你说过：橙", "你说过：橙子"]
    assert StateStore(kv).load("o_rt") == DialogState(query="橙子")
    assert kv.get("wx:cs:msg:o_rt") == "0"  # the CS window is open


async def test_a_retry_reads_the_first_answer_and_writes_nothing(kv: Any) -> None:
    counting = Counting(kv)
    async with app_with(BatchingKV(counting)) as client:  # type: ignore[arg-type]
        xml = cb.text("你好", openid="o_rt2")
        first = await client.post("/wechat", params=(e := cb.sealed(xml)).query, content=e.body.encode())
        counting.calls.clear()
        again = await client.post("/wechat", params=(e := cb.sealed(xml)).query, content=e.body.encode())
    assert plain_reply(first) == plain_reply(again) == "你说过：你好"
    assert not {"aset_then_get", "set_then_get", "set"} & set(counting.calls)


class DownKV:
    """A cache that is down: every call fails like a refused Redis connection."""

    def __getattr__(self, name: str) -> Any:
        def fail(*args: Any, **kw: Any) -> Any:
            raise ConnectionError("cache down")

        return fail


async def test_with_the_cache_down_a_message_is_still_answered() -> None:
    async with app_with(BatchingKV(DownKV())) as client:  # type: ignore[arg-type]
        e = cb.sealed(cb.text("在吗", openid="o_down"))
        response = await client.post("/wechat", params=e.query, content=e.body.encode())
    assert response.status_code == 200
    assert plain_reply(response) == "你说过：在吗"  # dedup and state fail open: answering beats dropping
