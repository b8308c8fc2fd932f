"""WeChat retries a callback it got no answer to within 5 s — up to 3 deliveries of one message.

The first delivery claims the message's dedup key with one `SET NX` and, when the
dialogue is done, stores the rendered reply under it.  A retry that finds the key
waits for that reply (or `success` if the first delivery went the late path) and
returns it: one effect, the same answer.  If the cache is down we fail open
(answer anyway) — losing a message is worse than a rare duplicate.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence

from bot.kv import KV, Write

log = logging.getLogger("bot.edge")

_PREFIX = "wx:dedup:"
_PENDING = "p"
_DONE = "d"
_LATE = "l"
POLL_SECONDS = 0.02


class RetryLedger:
    def __init__(self, kv: KV, ttl_seconds: float) -> None:
        self._kv = kv
        self._ttl = ttl_seconds

    async def claim(self, key: str, reads: Sequence[str] = ()) -> tuple[bool, dict[str, str | None]]:
        """(True for the first delivery of this message, the values of `reads`) — one cache round trip.

        Fails open: with the cache down the message is answered (claimed) and nothing is known.
        """
        try:
            claimed, values = await self._kv.aclaim_then_get(_PREFIX + key, _PENDING, self._ttl, reads)
        except Exception:  # noqa: BLE001 - fail open: answer rather than drop
            log.warning("dedup cache unavailable; answering %s without dedup", key, exc_info=True)
            return True, {}
        return claimed, dict(zip(reads, values, strict=True))

    def done(self, key: str, reply_xml: str) -> Write:
        """The write that keeps the reply for WeChat's retries of this message."""
        return _PREFIX + key, _DONE + reply_xml, self._ttl

    def late(self, key: str) -> Write:
        """The write telling retries that the reply went the send-later path."""
        return _PREFIX + key, _LATE, self._ttl

    async def wait(self, key: str, deadline: float) -> str | None:
        """The first delivery's reply XML, "" if it went the late path, None if still running."""
        while True:
            try:
                value = await self._kv.aget(_PREFIX + key)
            except Exception:  # noqa: BLE001
                return None
            if value is None:
                return None
            if value.startswith(_DONE):
                return value[len(_DONE):]
            if value == _LATE:
                return ""
            if time.monotonic() + POLL_SECONDS >= deadline:
                return None
            await asyncio.sleep(POLL_SECONDS)
