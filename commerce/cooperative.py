"""Sync code on the event loop, its database and cache waits awaited instead of blocking.

The chat's services are plain sync code (SQLAlchemy sessions, psycopg).  Run from a worker
thread, every PostgreSQL round trip releases the GIL and then waits for it back while the
event loop parses the next requests — measured at c=50: ~0.36 ms of server CPU per chat
message spent on threads and GIL hand-offs, a third of the whole.  `run(fn, *args)` runs
`fn` instead in a greenlet on the loop's own thread: when psycopg would block on the socket
(`CooperativeConnection.wait`) or the cache would (`bot.kv.RedisKV`), the greenlet hands
the wait to the loop as an awaitable and the loop serves other requests meanwhile — the
technique of SQLAlchemy's asyncio extension, applied to our sync psycopg connections.

Rules for code that may run inside `run`:
- only waits that go through `wait(awaitable)` are cooperative; any other blocking call
  (HTTP, a broker, a file lock, long CPU work) stalls every request of the process — put it
  behind `offload(fn, *args)`, which runs it in a thread when cooperative, in place otherwise;
- a lock held across a database or cache wait is a `cooperative.Lock`: a `threading.Lock`
  taken by one greenlet and wanted by another on the same thread would never be released;
- database connections come from a `CooperativePool`: when the pool is empty, cooperative
  code waits for a connection on the loop (a blocking wait there would never end: the
  connections' holders are greenlets on the same loop).
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import greenlet
import psycopg
from psycopg import waiting
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.pool import ConnectionPoolEntry, QueuePool
from sqlalchemy.util.queue import Empty

T = TypeVar("T")
log = logging.getLogger("commerce.cooperative")


class _Runner(greenlet.greenlet):  # type: ignore[misc]
    """A greenlet running sync code for a coroutine on the event loop."""


def active() -> bool:
    """True inside `run`: sync code here must not block (see the module's rules)."""
    return isinstance(greenlet.getcurrent(), _Runner)


def wait(awaitable: Awaitable[T]) -> T:
    """From sync code inside `run`: await `awaitable` on the loop and return its result."""
    current = greenlet.getcurrent()
    if not isinstance(current, _Runner):
        raise RuntimeError("cooperative.wait() outside cooperative.run()")
    return current.parent.switch(awaitable)  # type: ignore[no-any-return]


async def run(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run `fn(*args, **kwargs)` on this thread, awaiting what it hands over with `wait`; in a copy
    of the current context, like a thread pool's task."""
    runner = _Runner(fn, greenlet.getcurrent())
    runner.gr_context = contextvars.copy_context()
    step = functools.partial(runner.switch, *args, **kwargs)
    while True:
        started = time.perf_counter()
        result = step()
        _check_slice(fn, started)
        if runner.dead:
            return result  # type: ignore[no-any-return]
        try:
            value = await result
        except BaseException as exc:  # noqa: BLE001 - raised inside fn, at its wait()
            step = functools.partial(runner.throw, exc)
        else:
            step = functools.partial(runner.switch, value)


SLOW_SLICE_SECONDS = 0.1


def _check_slice(fn: Callable[..., Any], started: float) -> None:
    """The watchdog for the module's rules: a stretch of cooperative code that kept the loop this long
    without awaiting held up every other request — most likely a blocking call that needs `offload`."""
    held = time.perf_counter() - started
    if held >= SLOW_SLICE_SECONDS:
        log.warning("%s held the event loop for %.0f ms without awaiting: a blocking call that should go "
                    "through cooperative.offload?", getattr(fn, "__qualname__", fn), held * 1000)


def offload(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`fn(*args, **kwargs)` in a worker thread when running cooperatively (it may block); else in place."""
    if not active():
        return fn(*args, **kwargs)
    loop = asyncio.get_running_loop()
    call = functools.partial(fn, *args, **kwargs)
    return wait(loop.run_in_executor(None, contextvars.copy_context().run, call))


def offloading(fn: Callable[..., T]) -> Callable[..., T]:
    """`fn` whose calls go through `offload` (for a port that does HTTP and the like)."""

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> T:
        return offload(fn, *args, **kwargs)

    return call


class Offloaded:
    """An adapter object (payment gateway, courier API…) whose method calls go through `offload`."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        return offloading(attr) if callable(attr) else attr


LOCK_POLL_SECONDS = 0.001


class Lock:
    """A mutex for threads and cooperative code alike: a thread blocks on it as on `threading.Lock`,
    cooperative code polls it from the loop, so the greenlet holding it can run on and release it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def __enter__(self) -> Lock:
        if not self._lock.acquire(blocking=not active()):
            while not self._lock.acquire(blocking=False):
                wait(asyncio.sleep(LOCK_POLL_SECONDS))
        return self

    def __exit__(self, *exc: object) -> None:
        self._lock.release()


class CooperativeConnection(psycopg.Connection):  # type: ignore[type-arg]
    """A psycopg connection whose socket waits are awaited on the loop inside `run`, and block
    as usual anywhere else (threads, the CLI, Celery)."""

    def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
        if not isinstance(greenlet.getcurrent(), _Runner):
            return super().wait(gen, interval, timeout)
        try:
            first = next(gen)  # many steps need no I/O at all (autocommit on/off, ROLLBACK when idle)
        except StopIteration as done:
            return done.value
        return wait(waiting.wait_async(_resumed(first, gen), self.pgconn.socket, interval=interval, timeout=timeout))


def _resumed(first: Any, gen: Any) -> Any:
    """`gen` again, its first wait already taken: yields `first`, then goes on as `gen`."""
    ready = yield first
    while True:
        try:
            state = gen.send(ready)
        except StopIteration as done:
            return done.value
        ready = yield state


POOL_POLL_SECONDS = 0.0005


class CooperativePool(QueuePool):
    """`QueuePool` whose checkout, inside `run`, waits on the loop when every connection is out, and
    opens new connections in a worker thread: connecting is not cooperative, and the engine's first
    connection runs the dialect's set-up under a `threading.Lock` — from two runs on one thread, a
    deadlock."""

    def _do_get(self) -> ConnectionPoolEntry:
        if not active():
            return super()._do_get()
        deadline = time.monotonic() + self._timeout
        while True:
            try:
                return self._pool.get(False)
            except Empty:
                pass
            if self._inc_overflow():
                try:
                    return offload(self._create_connection)
                except BaseException:
                    self._dec_overflow()
                    raise
            if time.monotonic() >= deadline:
                raise PoolTimeout(f"QueuePool limit of size {self.size()} overflow {self.overflow()} reached, "
                                  f"connection timed out, timeout {self._timeout:.2f}")
            wait(asyncio.sleep(POOL_POLL_SECONDS))
