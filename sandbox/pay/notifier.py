"""Sends notifications the way WeChat Pay does: signed, encrypted, re-sent until answered 200/204."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric import rsa

from sandbox.pay import wire
from sandbox.pay.config import PaySandboxConfig

log = logging.getLogger("sandbox.pay")


@dataclass(frozen=True)
class Notice:
    url: str
    event_type: str  # TRANSACTION.SUCCESS, REFUND.SUCCESS, …
    summary: str
    plain: dict[str, Any]
    associated_data: str  # "transaction" | "refund"
    original_type: str


@dataclass
class Notifier:
    config: PaySandboxConfig
    key: rsa.RSAPrivateKey
    attempts: list[tuple[str, str, int]] = field(default_factory=list)  # (url, event_type, status)
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    def _signed(self, notice: Notice) -> tuple[dict[str, str], bytes]:
        c = self.config
        return wire.callback(self.key, c.platform_public_key_id, c.apiv3_key, event_type=notice.event_type,
                             summary=notice.summary, plain=notice.plain, associated_data=notice.associated_data,
                             original_type=notice.original_type, now=c.clock())

    async def send_once(self, notice: Notice) -> bool:
        headers, body = self._signed(notice)
        try:
            async with httpx.AsyncClient(transport=self.config.callback_transport, timeout=10) as client:
                status = (await client.post(notice.url, content=body, headers=headers)).status_code
        except httpx.HTTPError as exc:
            log.warning("pay callback to %s failed: %s", notice.url, exc)
            status = 0
        self.attempts.append((notice.url, notice.event_type, status))
        return status in (200, 204)

    async def deliver(self, notice: Notice, *, delay: float = 0.0) -> bool:
        """First attempt now (after `delay`); if unanswered, keep retrying in the background."""
        if delay:
            await asyncio.sleep(delay)
        if await self.send_once(notice):
            return True
        self._spawn(lambda: self._retry(notice))
        return False

    def deliver_later(self, notice: Notice, delay: float) -> None:
        self._spawn(lambda: self._quiet(self.deliver(notice, delay=delay)))

    async def _retry(self, notice: Notice) -> None:
        for _ in range(self.config.callback_attempts - 1):
            await asyncio.sleep(self.config.retry_after_seconds)
            if await self.send_once(notice):
                return
        log.error("pay callback %s to %s never acknowledged", notice.event_type, notice.url)

    @staticmethod
    async def _quiet(coro: Any) -> None:
        await coro

    def _spawn(self, make: Callable[[], Any]) -> None:
        task = asyncio.get_running_loop().create_task(make())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
