"""A tiny key-value port for dedup, dialogue state, token and media caches.

`RedisKV` in production and tests (one central cache), `MemoryKV` in the demo
(single process).  Values are str; callers serialise.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import Protocol

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


class RedisKV:
    def __init__(self, url: str, prefix: str = "siyu:") -> None:
        import redis

        self._r = redis.Redis.from_url(url, decode_responses=True)
        self._p = prefix

    @property
    def client(self):  # type: ignore[no-untyped-def]
        return self._r

    def get(self, key: str) -> str | None:
        return self._r.get(self._p + key)  # type: ignore[no-any-return]

    def set(self, key: str, value: str, ttl: float | None = None) -> None:
        self._r.set(self._p + key, value, px=int(ttl * 1000) if ttl else None)

    def set_nx(self, key: str, value: str, ttl: float) -> bool:
        return bool(self._r.set(self._p + key, value, nx=True, px=int(ttl * 1000)))

    def delete(self, key: str) -> None:
        self._r.delete(self._p + key)

    def incr(self, key: str, ttl: float | None = None) -> int:
        pipe = self._r.pipeline()
        pipe.incr(self._p + key)
        if ttl:
            pipe.expire(self._p + key, int(ttl), nx=True)
        return int(pipe.execute()[0])

    def set_then_get(self, writes: Sequence[Write], reads: Sequence[str]) -> list[str | None]:
        pipe = self._r.pipeline(transaction=False)
        for key, value, ttl in writes:
            pipe.set(self._p + key, value, px=int(ttl * 1000) if ttl else None)
        for key in reads:
            pipe.get(self._p + key)
        return pipe.execute()[len(writes):]  # type: ignore[no-any-return]

    def ping(self) -> bool:
        return bool(self._r.ping())
