"""Queueing from the chat: the share desk's answers, and tasks held while the broker is unreachable."""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.dialogue.sharing import ShareKind, ShareOutcome, ShareRequest
from bot.kv import MemoryKV
from siyu.share_desk import POSTER_TASK, VIDEO_TASK, ShareDesk
from siyu.task_dispatch import TaskDispatcher
from worker.app import create_celery

BROKER_HOST, BROKER_PORT = "127.0.0.1", 5672


@dataclass
class Posters:
    distributors: set[str] = field(default_factory=lambda: {"o-dist"})

    def may_share(self, openid: str) -> bool:
        return openid in self.distributors


@dataclass
class Dispatcher:
    up: bool = True
    sent: list[tuple[str, Any]] = field(default_factory=list)

    def dispatch(self, name: str, args: Any) -> bool:
        self.sent.append((name, tuple(args)))
        return self.up


@dataclass
class Quota:
    left: int | None = 5

    def quota_left(self, openid: str) -> int | None:
        return self.left


def desk(*, left: int | None = 5, per_48h: int = 5, up: bool = True) -> tuple[ShareDesk, Dispatcher]:
    d = Dispatcher(up)
    return ShareDesk(Posters(), d, Quota(left), per_48h), d  # type: ignore[arg-type]


class TestShareDesk:
    def test_a_poster_request_queues_the_poster_task_with_small_arguments(self) -> None:
        share, d = desk()
        assert share.request(ShareRequest("o-dist", ShareKind.PRODUCT, "7", "rid-1")) is ShareOutcome.QUEUED
        share.request(ShareRequest("o-dist", ShareKind.VIDEO, "7", "rid-2"))
        assert d.sent == [(POSTER_TASK, ("o-dist", "product", "7", "rid-1")), (VIDEO_TASK, ("o-dist", "7", "rid-2"))]

    def test_not_a_distributor_is_told_to_join_and_nothing_is_queued(self) -> None:
        share, d = desk()
        assert share.request(ShareRequest("o-other", ShareKind.SHOP)) is ShareOutcome.JOIN_FIRST
        assert d.sent == []

    def test_no_quota_left_is_said_in_the_passive_reply_instead_of_failing_silently(self) -> None:
        share, d = desk(left=0, per_48h=0)
        assert share.request(ShareRequest("o-dist", ShareKind.SHOP)) is ShareOutcome.QUOTA_EXHAUSTED
        assert d.sent == []

    def test_a_menu_click_opens_the_three_per_minute_window_on_top_of_what_is_left(self) -> None:
        share, _ = desk(left=0, per_48h=0)
        assert share.request(ShareRequest("o-dist", ShareKind.SHOP, via_event=True)) is ShareOutcome.QUEUED

    def test_a_paying_customer_has_no_limit(self) -> None:
        share, _ = desk(left=None, per_48h=0)
        assert share.request(ShareRequest("o-dist", ShareKind.SHOP)) is ShareOutcome.QUEUED

    def test_an_unreachable_queue_is_reported_as_delayed(self) -> None:
        share, _ = desk(up=False)
        assert share.request(ShareRequest("o-dist", ShareKind.SHOP)) is ShareOutcome.DELAYED


class Forwarder:
    """A TCP port that forwards to RabbitMQ once `open()`ed; before that it refuses connections."""

    def __init__(self) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self._server: socket.socket | None = None

    def open(self) -> None:
        self._server = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        if self._server is not None:
            self._server.close()

    def _accept(self) -> None:
        assert self._server is not None
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            upstream = socket.create_connection((BROKER_HOST, BROKER_PORT))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pipe, args=(a, b), daemon=True).start()


def _pipe(src: socket.socket, dst: socket.socket) -> None:
    try:
        while data := src.recv(65536):
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


@pytest.fixture
def forwarder() -> Iterator[Forwarder]:
    f = Forwarder()
    yield f
    f.close()


@pytest.mark.rabbitmq
@pytest.mark.timeout(60)
def test_a_task_held_while_the_broker_is_unreachable_is_published_once_it_is_back(forwarder: Forwarder) -> None:
    queue = f"siyu-test-{uuid.uuid4().hex[:10]}"
    user = os.environ.get("SIYU_TEST_AMQP_USER", "guest:guest")
    app = create_celery(f"amqp://{user}@127.0.0.1:{forwarder.port}//", eager=False, queue=queue)
    kv = MemoryKV()
    dispatcher = TaskDispatcher(app, kv, eager=False, retry_max=0.5)
    t0 = time.monotonic()
    assert dispatcher.dispatch(POSTER_TASK, ["o-dist", "shop", "", "rid-held"]) is False
    assert time.monotonic() - t0 < 3 and dispatcher.held_count() == 1  # the chat reply is not held up

    forwarder.open()
    deadline = time.monotonic() + 30
    while dispatcher.held_count() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert dispatcher.held_count() == 0
    with app.connection_for_write() as conn:
        message = conn.SimpleQueue(queue).get(timeout=5)
        assert message.headers["task"] == POSTER_TASK and message.headers["argsrepr"].startswith("['o-dist'")
        message.ack()
        conn.default_channel.queue_delete(queue)
