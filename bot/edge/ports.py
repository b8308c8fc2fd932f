"""What the edge needs from the rest of the bot, as small protocols."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from bot.messages import Inbound, Reply

Respond = Callable[[Inbound], Reply]
BindLogContext = Callable[[str, str], None]  # (request_id, openid)
Prefetch = Callable[[Inbound], Sequence[str]]  # cache keys the reply will read: fetched with the dedup claim


class LateDelivery(Protocol):
    """The send-later path (`bot.outbound.Outbound`)."""

    def deliver(self, openid: str, reply: Reply) -> object: ...

    def note_inbound(self, inbound: Inbound) -> bool:
        """Record that the user wrote (opens the CS window); True if messages wait for them."""
        ...

    def flush_pending(self, openid: str) -> int: ...
