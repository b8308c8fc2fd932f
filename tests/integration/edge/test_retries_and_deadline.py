from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Route

from bot.edge import WeChatEndpoint
from bot.kv import KV, MemoryKV
from bot.messages import Inbound, Reply, TextReply
from tests.integration.edge import callbacks as cb


class SlowCounter:
    """A dialogue that takes `seconds` and counts how often it ran."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self, inbound: Inbound) -> Reply:
        with self._lock:
            self.calls += 1
            n = self.calls
        time.sleep(self.seconds)
        return TextReply(f"answer #{n} to {inbound.text}")


class FakeLate:
    """The send-later path, recording what it was asked to deliver."""

    def __init__(self) -> None:
        self.delivered: list[tuple[str, Reply]] = []
        self.noted: list[str] = []
        self.done = threading.Event()

    def deliver(self, openid: str, reply: Reply) -> object:
        self.delivered.append((openid, reply))
        self.done.set()
        return "sent"

    def note_inbound(self, inbound: Inbound) -> bool:
        self.noted.append(inbound.openid)
        return False

    def flush_pending(self, openid: str) -> int:
        return 0


def asgi_client(respond: Any, kv: KV, late: Any = None, **overrides: object) -> httpx.AsyncClient:
    endpoint = WeChatEndpoint(cb.config(**overrides), respond, kv, late=late)
    app = Starlette(routes=[Route("/wechat", endpoint.handle, methods=["GET", "POST"])])
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://edge.test")


async def deliver_three_times(client: httpx.AsyncClient, mode: str) -> list[httpx.Response]:
    xml = cb.text("来两件", msg_id=cb.next_msg_id())
    envelopes = [cb.sealed(xml, mode) for _ in range(3)]  # type: ignore[arg-type]
    return await asyncio.gather(*(client.post("/wechat", params=e.query, content=e.body.encode())
                                  for e in envelopes))


def plain_reply(response: httpx.Response) -> str:
    from xml.etree import ElementTree

    from sandbox.wechat import wire

    root = ElementTree.fromstring(response.text)
    if root.findtext("Encrypt"):
        root = ElementTree.fromstring(wire.decrypt(root.findtext("Encrypt") or "", cb.AES_KEY)[0])
    return root.findtext("Content") or ""


class TestSameMessageThreeTimes:
    @pytest.mark.parametrize("store", ["memory", "redis"])
    async def test_concurrent_retries_run_the_dialogue_once_and_get_the_same_reply(
            self, store: str, request: pytest.FixtureRequest) -> None:
        kv = MemoryKV() if store == "memory" else request.getfixturevalue("kv")
        dialogue = SlowCounter(0.3)
        async with asgi_client(dialogue, kv) as client:
            responses = await deliver_three_times(client, "plaintext")
        assert dialogue.calls == 1
        assert {r.status_code for r in responses} == {200}
        assert {plain_reply(r) for r in responses} == {"answer #1 to 来两件"}

    async def test_retries_in_safe_mode_are_each_encrypted_with_the_same_content(self) -> None:
        dialogue = SlowCounter(0.1)
        async with asgi_client(dialogue, MemoryKV()) as client:
            responses = await deliver_three_times(client, "aes")
        assert dialogue.calls == 1
        assert len({r.text for r in responses}) == 3  # each its own envelope
        assert {plain_reply(r) for r in responses} == {"answer #1 to 来两件"}

    async def test_a_retry_after_the_first_answer_gets_it_again(self) -> None:
        dialogue = SlowCounter(0)
        xml = cb.text("hi")
        async with asgi_client(dialogue, MemoryKV()) as client:
            first = await client.post("/wechat", params=(e := cb.sealed(xml)).query, content=e.body.encode())
            again = await client.post("/wechat", params=(e := cb.sealed(xml)).query, content=e.body.encode())
        assert dialogue.calls == 1
        assert plain_reply(first) == plain_reply(again)

    async def test_the_same_event_retried_is_handled_once(self) -> None:
        from sandbox.wechat import wire

        dialogue = SlowCounter(0)
        xml = wire.event_xml(cb.GH, "o_evt", int(time.time()), "CLICK", "MENU_CART")
        async with asgi_client(dialogue, MemoryKV()) as client:
            for _ in range(2):
                await client.post("/wechat", params=(e := cb.sealed(xml)).query, content=e.body.encode())
        assert dialogue.calls == 1


class TestDeadline:
    async def test_slow_dialogue_gets_success_now_and_the_reply_later_by_cs_message(self) -> None:
        dialogue, late = SlowCounter(0.6), FakeLate()
        async with asgi_client(dialogue, MemoryKV(), late, reply_deadline_seconds=0.2) as client:
            started = time.monotonic()
            r = await client.post("/wechat", params=(e := cb.sealed(cb.text("海报", "o_slow"))).query,
                                  content=e.body.encode())
            elapsed = time.monotonic() - started
        assert (r.status_code, r.text) == (200, "success")
        assert elapsed < 0.5
        assert late.done.wait(2)
        assert late.delivered == [("o_slow", TextReply("answer #1 to 海报"))]

    async def test_a_retry_of_a_late_message_gets_success_and_no_second_run(self) -> None:
        dialogue, late = SlowCounter(0.3), FakeLate()
        xml = cb.text("海报")
        async with asgi_client(dialogue, MemoryKV(), late, reply_deadline_seconds=0.1) as client:
            await client.post("/wechat", params=(e := cb.sealed(xml)).query, content=e.body.encode())
            assert late.done.wait(2)
            retry = await client.post("/wechat", params=(e := cb.sealed(xml)).query, content=e.body.encode())
        assert retry.text == "success"
        assert dialogue.calls == 1
        assert len(late.delivered) == 1

    async def test_fast_dialogue_notes_the_user_wrote(self) -> None:
        late = FakeLate()
        async with asgi_client(SlowCounter(0), MemoryKV(), late) as client:
            await client.post("/wechat", params=(e := cb.sealed(cb.text("hi", "o_note"))).query,
                              content=e.body.encode())
        for _ in range(50):
            if late.noted:
                break
            await asyncio.sleep(0.01)
        assert late.noted == ["o_note"]
        assert late.delivered == []
