"""A tiny key-value port for dedup, dialogue state, token and media caches.

`RedisKV` in production and tests (one central cache), `MemoryKV` in the demo
(single process).  Values are str; callers serialise.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import threading
import time
import weakref
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Protocol

from bot.redis_pipe import RedisPipe
from commerce import cooperative

log = logging.getLogger("bot.kv")

Write = tuple[str, str, float | None]  # (key, value, ttl in seconds or None)


class KV(Protocol):
    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str, ttl: float | None = None) -> None: ...
    def set_nx(self, key: str, value: str, ttl: float) -> bool: ...
    def delete(self, key: str) -> None: ...
    def incr(self, key: str, ttl: float | None = None) -> int: ...
    def set_then_get(self, writes: Sequence[Write], reads: Sequence[str]) -> list[str | None]:
        """Set every (key, value, ttl), then read every key — one round trip; → the values read."""
        ...

    def claim_then_get(self, key: str, value: str, ttl: float, reads: Sequence[str]) -> tuple[bool, list[str | None]]:
        """`set_nx(key, value, ttl)` and read every key of `reads` — one round trip."""
        ...

    # The same three for the event loop (the edge's claim and its batch of writes): a store that
    # does I/O awaits it; the in-process store answers at once.
    async def aget(self, key: str) -> str | None: ...
    async def aset_then_get(self, writes: Sequence[Write], reads: Sequence[str]) -> list[str | None]: ...
    async def aclaim_then_get(self, key: str, value: str, ttl: float,
                              reads: Sequence[str]) -> tuple[bool, list[str | None]]: ...


class MemoryKV:
    def __init__(self) -> None:
        self._data: dict[str, tuple[str, float | None]] = {}
        self._lock = threading.Lock()

    def _live(self, key: str) -> str | None:
        item = self._data.get(key)
        if item is None:
            return None
        value, expires = item
        if expires is not None and expires <= time.monotonic():
            del self._data[key]
            return None
        return value

    def get(self, key: str) -> str | None:
        with self._lock:
            return self._live(key)

    def set(self, key: str, value: str, ttl: float | None = None) -> None:
        with self._lock:
            self._data[key] = (value, time.monotonic() + ttl if ttl else None)

    def set_nx(self, key: str, value: str, ttl: float) -> bool:
        with self._lock:
            if self._live(key) is not None:
                return False
            self._data[key] = (value, time.monotonic() + ttl)
            return True

    def delete(self, key: str) -> None:
        with self._lock:
            self._data.pop(key, None)

    def incr(self, key: str, ttl: float | None = None) -> int:
        with self._lock:
            current = self._live(key)
            n = int(current or 0) + 1
            expires = self._data[key][1] if current is not None else (time.monotonic() + ttl if ttl else None)
            self._data[key] = (str(n), expires)
            return n

    def set_then_get(self, writes: Sequence[Write], reads: Sequence[str]) -> list[str | None]:
        with self._lock:
            for key, value, ttl in writes:
                self._data[key] = (value, time.monotonic() + ttl if ttl else None)
            return [self._live(key) for key in reads]

    def claim_then_get(self, key: str, value: str, ttl: float, reads: Sequence[str]) -> tuple[bool, list[str | None]]:
        with self._lock:
            claimed = self._live(key) is None
            if claimed:
                self._data[key] = (value, time.monotonic() + ttl)
            return claimed, [self._live(k) for k in reads]

    async def aget(self, key: str) -> str | None:
        return self.get(key)

    async def aset_then_get(self, writes: Sequence[Write], reads: Sequence[str]) -> list[str | None]:
        return self.set_then_get(writes, reads)

    async def aclaim_then_get(self, key: str, value: str, ttl: float,
                              reads: Sequence[str]) -> tuple[bool, list[str | None]]:
        return self.claim_then_get(key, value, ttl, reads)


def _set_command(key: str, value: str, ttl: float | None) -> tuple[object, ...]:
    return ("SET", key, value, "PX", int(ttl * 1000)) if ttl else ("SET", key, value)


class RedisKV:
    def __init__(self, url: str, prefix: str = "siyu:") -> None:
        import redis

        self._r = redis.Redis.from_url(url, decode_responses=True)
        self._p = prefix
        self._url = url
        # one pipelined connection per event loop (a connection belongs to the loop that made it)
        self._async: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, RedisPipe] = weakref.WeakKeyDictionary()

    @property
    def client(self):  # type: ignore[no-untyped-def]
        return self._r

    def get(self, key: str) -> str | None:
        return self._pipeline([("GET", self._p + key)])[0]  # type: ignore[no-any-return]

    def set(self, key: str, value: str, ttl: float | None = None) -> None:
        self._pipeline([_set_command(self._p + key, value, ttl)])

    def set_nx(self, key: str, value: str, ttl: float) -> bool:
        return self._pipeline([("SET", self._p + key, value, "NX", "PX", int(ttl * 1000))])[0] is not None

    def delete(self, key: str) -> None:
        self._pipeline([("DEL", self._p + key)])

    def incr(self, key: str, ttl: float | None = None) -> int:
        commands: list[tuple[object, ...]] = [("INCR", self._p + key)]
        if ttl:
            commands.append(("EXPIRE", self._p + key, int(ttl), "NX"))
        return int(self._pipeline(commands)[0])

    def set_then_get(self, writes: Sequence[Write], reads: Sequence[str]) -> list[str | None]:
        commands: list[tuple[object, ...]] = [_set_command(self._p + k, v, ttl) for k, v, ttl in writes]
        commands += [("GET", self._p + k) for k in reads]
        return self._pipeline(commands)[len(writes):]

    def claim_then_get(self, key: str, value: str, ttl: float, reads: Sequence[str]) -> tuple[bool, list[str | None]]:
        commands: list[tuple[object, ...]] = [("SET", self._p + key, value, "NX", "PX", int(ttl * 1000))]
        commands += [("GET", self._p + k) for k in reads]
        claimed, *values = self._pipeline(commands)
        return claimed is not None, values

    def _pipeline(self, commands: list[tuple[object, ...]]) -> list:  # type: ignore[type-arg]
        """Send `commands` in one write and read their replies: a pipeline without redis-py's `Pipeline`
        object (its bookkeeping costs ~40 µs per call; every chat message makes two of these)."""
        if cooperative.active():  # the dialogue on the event loop: await the round trip there
            return cooperative.wait(self._apipeline(commands))
        pool = self._r.connection_pool
        conn = pool.get_connection()
        try:
            conn.send_packed_command(conn.pack_commands(commands))
            return [conn.read_response() for _ in commands]
        except BaseException:
            conn.disconnect()  # a half-read connection must never be reused
            raise
        finally:
            pool.release(conn)

    def ping(self) -> bool:
        return bool(self._r.ping())

    # -- on the event loop ----------------------------------------------------
    async def aget(self, key: str) -> str | None:
        (value,) = await self._apipeline([("GET", self._p + key)])
        return value  # type: ignore[no-any-return]

    async def aset_then_get(self, writes: Sequence[Write], reads: Sequence[str]) -> list[str | None]:
        commands: list[tuple[object, ...]] = [_set_command(self._p + k, v, ttl) for k, v, ttl in writes]
        commands += [("GET", self._p + k) for k in reads]
        return (await self._apipeline(commands))[len(writes):]

    async def aclaim_then_get(self, key: str, value: str, ttl: float,
                              reads: Sequence[str]) -> tuple[bool, list[str | None]]:
        commands: list[tuple[object, ...]] = [("SET", self._p + key, value, "NX", "PX", int(ttl * 1000))]
        commands += [("GET", self._p + k) for k in reads]
        claimed, *values = await self._apipeline(commands)
        return claimed is not None, values

    async def _apipeline(self, commands: list[tuple[object, ...]]) -> list:  # type: ignore[type-arg]
        """`_pipeline` from the event loop: on the running loop's one pipelined connection."""
        loop = asyncio.get_running_loop()
        pipe = self._async.get(loop)
        if pipe is None:
            pipe = self._async[loop] = RedisPipe(self._url)
        replies = await pipe.execute(commands)
        for reply in replies:
            if isinstance(reply, Exception):
                raise reply
        return replies

    async def aclose(self) -> None:
        """Close the running loop's async connections (the app's shutdown)."""
        pipe = self._async.pop(asyncio.get_running_loop(), None)
        if pipe is not None:
            await pipe.aclose()


class Batch:
    __slots__ = ("known", "writes")

    def __init__(self, known: Mapping[str, str | None]) -> None:
        self.known: dict[str, str | None] = dict(known)  # values read ahead or written in this batch
        self.writes: dict[str, Write] = {}  # the last write per key, in first-write order

    @property
    def pending(self) -> list[Write]:
        """The writes not sent yet, oldest key first."""
        return list(self.writes.values())


_batch: contextvars.ContextVar[Batch | None] = contextvars.ContextVar("kv_batch", default=None)


class BatchingKV:
    """A KV whose plain reads and writes inside `batch()` cost no round trip until the batch ends.

    One chat message touches a handful of keys (its dedup key, the dialogue state, the
    customer-service window): the edge reads them ahead together with its dedup claim, every
    `get` of such a key inside the batch is answered from that read, every `set` is kept and
    all of them go out in one pipeline when the batch ends.  Reads see the batch's own writes.
    `set_nx`, `incr` and `delete` are not deferred: they first send what the batch holds, so the
    order of effects on the server is the order of calls.  The batch lives in a context variable:
    one per request, whichever thread runs it.
    """

    def __init__(self, inner: KV) -> None:
        self.inner = inner

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]  # client, ping, … of the inner store
        return getattr(self.inner, name)

    @contextmanager
    def batch(self, known: Mapping[str, str | None] | None = None) -> Iterator[None]:
        with self.deferred(known) as held:
            yield
        if held.writes:
            try:
                self.inner.set_then_get(held.pending, [])
            except Exception:  # noqa: BLE001 - like every cache write here: log, never break the reply
                log.warning("cache unavailable; %d batched writes lost", len(held.writes), exc_info=True)

    @contextmanager
    def deferred(self, known: Mapping[str, str | None] | None = None) -> Iterator[Batch]:
        """`batch()` that leaves its writes unsent: after the block, `held.pending` is for the caller
        to send (the edge sends them from the event loop with `aset_then_get`)."""
        held = Batch(known or {})
        token = _batch.set(held)
        try:
            yield held
        finally:
            _batch.reset(token)

    def _send(self, batch: Batch) -> None:
        if batch.writes:
            writes, batch.writes = list(batch.writes.values()), {}
            self.inner.set_then_get(writes, [])

    def get(self, key: str) -> str | None:
        batch = _batch.get()
        if batch is not None and key in batch.known:
            return batch.known[key]
        return self.inner.get(key)

    def set(self, key: str, value: str, ttl: float | None = None) -> None:
        batch = _batch.get()
        if batch is None:
            self.inner.set(key, value, ttl)
            return
        batch.writes.pop(key, None)
        batch.writes[key] = (key, value, ttl)
        batch.known[key] = value

    def set_nx(self, key: str, value: str, ttl: float) -> bool:
        batch = _batch.get()
        if batch is not None:
            self._send(batch)
            batch.known.pop(key, None)
        return self.inner.set_nx(key, value, ttl)

    def delete(self, key: str) -> None:
        batch = _batch.get()
        if batch is not None:
            self._send(batch)
            batch.known.pop(key, None)
        self.inner.delete(key)

    def incr(self, key: str, ttl: float | None = None) -> int:
        batch = _batch.get()
        if batch is not None:
            self._send(batch)
            batch.known.pop(key, None)
        return self.inner.incr(key, ttl)

    def set_then_get(self, writes: Sequence[Write], reads: Sequence[str]) -> list[str | None]:
        batch = _batch.get()
        if batch is None:
            return self.inner.set_then_get(writes, reads)
        for key, value, ttl in writes:
            self.set(key, value, ttl)
        if all(key in batch.known for key in reads):
            return [batch.known[key] for key in reads]
        pending, batch.writes = list(batch.writes.values()), {}
        values = self.inner.set_then_get(pending, reads)
        batch.known.update(zip(reads, values, strict=True))
        return values

    def claim_then_get(self, key: str, value: str, ttl: float, reads: Sequence[str]) -> tuple[bool, list[str | None]]:
        batch = _batch.get()
        if batch is not None:
            self._send(batch)
        return self.inner.claim_then_get(key, value, ttl, reads)

    async def aget(self, key: str) -> str | None:
        return await self.inner.aget(key)

    async def aset_then_get(self, writes: Sequence[Write], reads: Sequence[str]) -> list[str | None]:
        return await self.inner.aset_then_get(writes, reads)

    async def aclaim_then_get(self, key: str, value: str, ttl: float,
                              reads: Sequence[str]) -> tuple[bool, list[str | None]]:
        return await self.inner.aclaim_then_get(key, value, ttl, reads)
