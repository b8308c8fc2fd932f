"""Redis from the event loop: one connection per loop, every caller's commands pipelined on it.

The edge sends two small pipelines per chat message (the dedup claim with its read-ahead,
then the reply's writes).  `redis.asyncio` spends most of its time in asyncio streams,
connection-pool locks and per-command bookkeeping — measured at c=50: ~20 % of the server's
CPU for those two round trips.  Redis answers a connection's commands in order, so a single
connection can carry every concurrent request's commands: each call appends its packed
commands to a write buffer flushed once per loop iteration and gets a future per reply,
resolved first-in first-out as `hiredis` parses the answers.  Parsing and packing are
hiredis's; this module is only the transport.

A connection that fails, or whose oldest answer is `timeout` seconds late, is dropped: every
waiting caller gets `ConnectionError` and the next call connects anew.
"""

from __future__ import annotations

import asyncio
import collections
import ssl
from collections.abc import Sequence
from typing import Any

import hiredis
from redis.connection import parse_url

Command = tuple[object, ...]


class RedisPipe:
    def __init__(self, url: str, *, timeout: float = 2.0) -> None:
        self._options = parse_url(url)
        self._tls = url.startswith("rediss://")
        self._timeout = timeout
        self._protocol: _Protocol | None = None
        self._connecting: asyncio.Future[_Protocol] | None = None

    async def execute(self, commands: Sequence[Command]) -> list[Any]:
        """Send `commands` (after whatever other callers queued) and return their replies, in order;
        a Redis error reply is returned as an exception instance, as in a redis-py pipeline."""
        if not commands:
            return []
        protocol = self._protocol
        if protocol is None or protocol.closed:
            protocol = await self._connect()
        return await _replies(protocol.send(commands))

    async def _connect(self) -> _Protocol:
        if self._connecting is not None:
            return await asyncio.shield(self._connecting)
        loop = asyncio.get_running_loop()
        self._connecting = loop.create_future()
        try:
            protocol = await asyncio.wait_for(self._open(loop), self._timeout)
        except BaseException as exc:
            self._connecting.set_exception(ConnectionError(f"redis connect failed: {exc!r}"))
            self._connecting.exception()  # retrieved: no "never retrieved" warning when nobody else waited
            self._connecting = None
            raise ConnectionError(f"redis connect failed: {exc!r}") from exc
        self._protocol = protocol
        self._connecting.set_result(protocol)
        self._connecting = None
        return protocol

    async def _open(self, loop: asyncio.AbstractEventLoop) -> _Protocol:
        o = self._options
        make = lambda: _Protocol(loop, self._timeout)  # noqa: E731
        if "path" in o:
            _, protocol = await loop.create_unix_connection(make, o["path"])
        else:
            tls = ssl.create_default_context() if self._tls else None
            _, protocol = await loop.create_connection(make, o.get("host", "localhost"), o.get("port", 6379), ssl=tls)
        setup: list[Command] = []
        if o.get("password"):
            setup.append(("AUTH", *([o["username"]] if o.get("username") else []), o["password"]))
        if o.get("db"):
            setup.append(("SELECT", o["db"]))
        for reply in await _replies(protocol.send(setup)) if setup else ():
            if isinstance(reply, Exception):
                protocol.abort(ConnectionError(f"redis setup failed: {reply}"))
                raise reply
        return protocol

    async def aclose(self) -> None:
        if self._protocol is not None:
            self._protocol.abort(ConnectionError("closed"))
            self._protocol = None


async def _replies(futures: list[asyncio.Future[Any]]) -> list[Any]:
    """Replies come in order: once the last future is done, all are."""
    try:
        await futures[-1]
    finally:
        for future in futures:
            if future.done() and not future.cancelled():
                future.exception()  # retrieved: a failed connection fails them all, one raises
    return [future.result() for future in futures]


class _Protocol(asyncio.Protocol):
    def __init__(self, loop: asyncio.AbstractEventLoop, timeout: float) -> None:
        self._loop = loop
        self._timeout = timeout
        self._reader = hiredis.Reader(encoding="utf-8")
        self._waiting: collections.deque[asyncio.Future[Any]] = collections.deque()
        self._out: list[bytes] = []
        self._transport: asyncio.Transport | None = None
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport  # type: ignore[assignment]

    def send(self, commands: Sequence[Command]) -> list[asyncio.Future[Any]]:
        if self.closed:
            raise ConnectionError("redis connection closed")
        futures = [self._loop.create_future() for _ in commands]
        if not self._out:
            self._loop.call_soon(self._flush)
        self._out.extend(hiredis.pack_command(c) for c in commands)  # type: ignore[arg-type]
        self._waiting.extend(futures)
        return futures

    def _flush(self) -> None:
        if self.closed or not self._out:
            return
        data, self._out = b"".join(self._out), []
        assert self._transport is not None
        self._transport.write(data)
        last = self._waiting[-1]
        self._loop.call_later(self._timeout, self._check, last)

    def _check(self, last: asyncio.Future[Any]) -> None:
        if not last.done() and not self.closed:
            self.abort(ConnectionError(f"redis did not answer within {self._timeout}s"))

    def data_received(self, data: bytes) -> None:
        self._reader.feed(data)
        waiting = self._waiting
        while True:
            try:
                reply = self._reader.gets()
            except hiredis.ProtocolError as exc:
                self.abort(ConnectionError(f"redis protocol error: {exc}"))
                return
            if reply is False:
                return
            future = waiting.popleft()
            if not future.done():
                future.set_result(reply)

    def connection_lost(self, exc: Exception | None) -> None:
        self._fail(ConnectionError(f"redis connection lost: {exc!r}" if exc else "redis connection closed"))

    def abort(self, exc: Exception) -> None:
        if self._transport is not None:
            self._transport.abort()
        self._fail(exc)

    def _fail(self, exc: Exception) -> None:
        self.closed = True
        while self._waiting:
            future = self._waiting.popleft()
            if not future.done():
                future.set_exception(exc)
