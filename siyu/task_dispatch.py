"""Queueing worker tasks from the chat path without ever waiting on them.

- Broker mode: publish with a short, bounded connection attempt.  If the broker
  is unreachable the task is *held* in the central KV (so nothing is lost, and
  another web process can pick it up too) and a background thread re-publishes
  held tasks with backoff until the broker is back; `dispatch` returns False so
  the chat can tell the user it is delayed.
- Broker up but no worker listening (AMQP tells us the queue's consumer
  count): the task stays queued and is delivered when a worker starts;
  `dispatch` returns False as well, so the user hears it may take a while.
- Eager mode (the demo): the task runs in a background thread *after* a short
  pause, never inside the request — the sandbox WeChat API it calls is served
  by this same process, and the passive reply goes out first.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Sequence
from typing import Any, Protocol

from celery import Celery

from commerce import cooperative

log = logging.getLogger("siyu.tasks")

HELD_PREFIX = "tasks:held:"
HELD_TTL = 7 * 24 * 3600.0
CONNECT_TIMEOUT_SECONDS = 1.5
EAGER_START_DELAY_SECONDS = 0.2
RETRY_MAX_SECONDS = 30.0


class DispatchKV(Protocol):
    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str, ttl: float | None = None) -> None: ...
    def set_nx(self, key: str, value: str, ttl: float) -> bool: ...
    def delete(self, key: str) -> None: ...
    def incr(self, key: str, ttl: float | None = None) -> int: ...


class TaskDispatcher:
    def __init__(self, app: Celery, kv: DispatchKV, *, eager: bool,
                 eager_delay: float = EAGER_START_DELAY_SECONDS, retry_max: float = RETRY_MAX_SECONDS) -> None:
        self._app, self._kv, self._eager = app, kv, eager
        self._eager_delay, self._retry_max = eager_delay, retry_max
        self._retrier: threading.Thread | None = None
        self._lock = threading.Lock()
        self._eager_threads: list[threading.Thread] = []

    def dispatch(self, name: str, args: Sequence[Any]) -> bool:
        """True: queued for a listening worker (or, eager, started in the background);
        False: delayed — held until the broker is back, or queued while no worker listens."""
        return cooperative.offload(self._dispatch, name, args)  # a broker publish blocks

    def _dispatch(self, name: str, args: Sequence[Any]) -> bool:
        if self._eager:
            thread = threading.Thread(target=self._run_inline, args=(name, list(args)), name=f"eager-{name}",
                                      daemon=True)
            with self._lock:
                self._eager_threads = [t for t in self._eager_threads if t.is_alive()] + [thread]
            thread.start()
            return True
        try:
            listened = self._publish(name, list(args))
        except Exception as exc:  # noqa: BLE001 - any broker failure: hold it, never lose it
            log.warning("broker unreachable (%s); task %s held for redelivery", exc, name)
            self._hold(name, list(args))
            self._ensure_retrier()
            return False
        if self.held_count():
            self._ensure_retrier()
        if not listened:
            log.warning("no worker consumes queue %s; task %s waits there", self._queue, name)
        return listened

    # -- eager ----------------------------------------------------------------
    def join_eager(self, timeout: float = 30.0) -> None:
        """Wait for the eager tasks started so far (a CLI command, before its process exits)."""
        with self._lock:
            threads = list(self._eager_threads)
        for thread in threads:
            thread.join(timeout)

    def _run_inline(self, name: str, args: list[Any]) -> None:
        time.sleep(self._eager_delay)
        try:
            self._app.tasks[name].apply(args=args)
        except Exception:
            log.exception("eager task %s failed", name)

    # -- broker -----------------------------------------------------------------
    @property
    def _queue(self) -> str:
        return str(self._app.conf.task_default_queue)

    def _publish(self, name: str, args: list[Any]) -> bool:
        """Publish once (bounded connect); True unless the broker says no worker consumes the queue."""
        with self._app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=CONNECT_TIMEOUT_SECONDS)
            self._app.send_task(name, args=args, connection=conn, retry=False)
            if conn.transport.driver_type != "amqp":
                return True  # Redis and others cannot tell; assume a worker listens
            try:
                consumers = conn.default_channel.queue_declare(self._queue, passive=True).consumer_count
            except Exception:  # noqa: BLE001 - the probe is advisory only
                return True
            return int(consumers) > 0

    def _hold(self, name: str, args: list[Any]) -> None:
        seq = self._kv.incr(HELD_PREFIX + "tail", ttl=HELD_TTL)
        self._kv.set(f"{HELD_PREFIX}{seq}", json.dumps({"name": name, "args": args}), ttl=HELD_TTL)

    def held_count(self) -> int:
        tail = int(self._kv.get(HELD_PREFIX + "tail") or 0)
        return max(0, tail - int(self._kv.get(HELD_PREFIX + "head") or 0))

    def flush_held(self) -> int:
        """Publish held tasks oldest first; stops at the first failure.  Returns how many went out."""
        if not self._kv.set_nx(HELD_PREFIX + "lock", "1", ttl=60):
            return 0
        try:
            return self._flush()
        finally:
            self._kv.delete(HELD_PREFIX + "lock")

    def _flush(self) -> int:
        head = int(self._kv.get(HELD_PREFIX + "head") or 0)
        tail = int(self._kv.get(HELD_PREFIX + "tail") or 0)
        sent = 0
        for seq in range(head + 1, tail + 1):
            raw = self._kv.get(f"{HELD_PREFIX}{seq}")
            if raw is not None:
                item = json.loads(raw)
                self._publish(item["name"], item["args"])  # raises while the broker is still down
                sent += 1
                self._kv.delete(f"{HELD_PREFIX}{seq}")
            self._kv.set(HELD_PREFIX + "head", str(seq), ttl=HELD_TTL)
        return sent

    def _ensure_retrier(self) -> None:
        with self._lock:
            if self._retrier is not None and self._retrier.is_alive():
                return
            self._retrier = threading.Thread(target=self._retry_loop, name="held-task-retrier", daemon=True)
            self._retrier.start()

    def _retry_loop(self) -> None:
        pause = 1.0
        while self.held_count():
            try:
                sent = self.flush_held()
                if sent:
                    log.info("broker is back: %d held task(s) published", sent)
                    pause = 1.0
                    continue
            except Exception as exc:  # noqa: BLE001 - still down: wait and try again
                log.info("held tasks wait for the broker (%s); retry in %.0f s", exc, pause)
            time.sleep(pause)
            pause = min(pause * 2, self._retry_max)
