"""The send-later path: a reply that could not be the passive answer goes out as a
customer-service message; if WeChat refuses (45015 outside the 48 h window, 45047 quota
used up) it falls back to a template message — when one is configured for that
purpose — or waits in a per-user queue that is flushed the next time the user writes.
`deliver` never raises; `send` does (for workers that retry `TransientAPIError`)."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from dataclasses import asdict
from enum import StrEnum
from typing import Any

from bot.kv import KV, Write
from bot.messages import EmptyReply, ImageReply, Inbound, NewsReply, Reply, TextReply, TransferReply
from bot.wechat_api import OutsideWindow, QuotaExceeded, TransientAPIError, WeChatAPI, WeChatAPIError

log = logging.getLogger("bot.outbound")

WINDOW_SECONDS = 48 * 3600
EVENT_WINDOW_SECONDS = 60
EVENT_QUOTA = 3
PENDING_TTL_SECONDS = 7 * 24 * 3600
_WINDOW_EVENTS = frozenset({"subscribe", "scan", "click"})
_REPLY_TYPES: dict[str, type[Reply]] = {"text": TextReply, "news": NewsReply, "image": ImageReply}


class Delivery(StrEnum):
    SENT = "sent"
    TEMPLATE = "template"
    PENDING = "pending"
    SKIPPED = "skipped"  # nothing to send (EmptyReply / TransferReply)
    FAILED = "failed"


class Outbound:
    def __init__(self, api: WeChatAPI, kv: KV, *, templates: Mapping[str, str] | None = None,
                 quota_per_48h: int = 5, retry_pause_seconds: float = 0.5) -> None:
        self._api = api
        self._kv = kv
        self._templates = dict(templates or {})  # purpose → template_id ("default" for any)
        self._quota = quota_per_48h
        self._pause = retry_pause_seconds

    # -- sending -------------------------------------------------------------
    def send(self, openid: str, reply: Reply) -> bool:
        """One customer-service message; raises WeChatAPIError. False if there is nothing to send."""
        if isinstance(reply, TextReply):
            self._api.send_text(openid, reply.content)
        elif isinstance(reply, NewsReply):
            self._api.send_news(openid, reply.title, reply.description, reply.url, reply.picurl)
        elif isinstance(reply, ImageReply):
            self._api.send_image(openid, reply.media_id)
        else:
            return False
        self._count_sent(openid)
        return True

    def deliver(self, openid: str, reply: Reply, *, purpose: str = "",
                template_data: dict[str, Any] | None = None) -> Delivery:
        """Send now, or by template, or later; never raises."""
        if isinstance(reply, EmptyReply | TransferReply):
            return Delivery.SKIPPED
        try:
            return self._send_retrying(openid, reply)
        except (OutsideWindow, QuotaExceeded) as exc:
            log.info("CS message refused (%s); falling back", exc.errcode)
            if self._by_template(openid, reply, purpose, template_data):
                return Delivery.TEMPLATE
        except TransientAPIError as exc:
            log.warning("CS message failed twice (%s); queued for the user's next message", exc)
        except WeChatAPIError as exc:
            log.error("CS message rejected: %s", exc)
            return Delivery.FAILED
        except Exception:
            log.exception("CS message failed unexpectedly; queued")
        self._push_pending(openid, reply)
        return Delivery.PENDING

    def _send_retrying(self, openid: str, reply: Reply) -> Delivery:
        try:
            self.send(openid, reply)
        except TransientAPIError:
            time.sleep(self._pause)
            self.send(openid, reply)
        return Delivery.SENT

    def _by_template(self, openid: str, reply: Reply, purpose: str, data: dict[str, Any] | None) -> bool:
        template_id = self._templates.get(purpose) or self._templates.get("default")
        if not template_id:
            return False
        url = reply.url if isinstance(reply, NewsReply) else None
        try:
            self._api.send_template(openid, template_id, data or _template_data(reply), url)
        except WeChatAPIError as exc:
            log.warning("template fallback failed: %s", exc)
            return False
        return True

    # -- the user's window and quota ------------------------------------------
    def note_inbound(self, inbound: Inbound) -> bool:
        """The user wrote (or tapped/scanned): open the window; True if messages wait for them."""
        if inbound.kind == "event" and inbound.event in _WINDOW_EVENTS:
            window: Write = (f"wx:cs:evt:{inbound.openid}", "0", EVENT_WINDOW_SECONDS)
        elif inbound.kind != "event":
            window = (f"wx:cs:msg:{inbound.openid}", "0", WINDOW_SECONDS)
        else:
            return False
        (tail,) = self._kv.set_then_get([window], [self.pending_key(inbound.openid)])  # one round trip
        return tail is not None

    @staticmethod
    def pending_key(openid: str) -> str:
        """The key `note_inbound` reads (the edge reads it ahead with its dedup claim)."""
        return f"wx:pending:{openid}:tail"

    def note_paid(self, openid: str) -> None:
        """A payment: unlimited CS messages to this user for 48 h."""
        self._kv.set(f"wx:cs:paid:{openid}", "1", ttl=WINDOW_SECONDS)

    def quota_left(self, openid: str) -> int | None:
        """CS messages we may still send this user now; None = not limited (paid in the last 48 h)."""
        if self._kv.get(f"wx:cs:paid:{openid}"):
            return None
        event_used = self._kv.get(f"wx:cs:evt:{openid}")
        message_used = self._kv.get(f"wx:cs:msg:{openid}")
        left_event = EVENT_QUOTA - int(event_used) if event_used is not None else 0
        left_message = self._quota - int(message_used) if message_used is not None else 0
        return max(0, left_event) + max(0, left_message)

    def _count_sent(self, openid: str) -> None:
        for key, limit in ((f"wx:cs:evt:{openid}", EVENT_QUOTA), (f"wx:cs:msg:{openid}", self._quota)):
            used = self._kv.get(key)
            if used is not None and int(used) < limit:
                self._kv.incr(key)
                return

    # -- the pending queue ------------------------------------------------------
    def _push_pending(self, openid: str, reply: Reply) -> None:
        try:
            seq = self._kv.incr(f"wx:pending:{openid}:tail", ttl=PENDING_TTL_SECONDS)
            self._kv.set(f"wx:pending:{openid}:{seq}", _encode(reply), ttl=PENDING_TTL_SECONDS)
        except Exception:
            log.exception("could not queue a CS message for later; it is lost: %r", reply)

    def pending_count(self, openid: str) -> int:
        tail = int(self._kv.get(f"wx:pending:{openid}:tail") or 0)
        return max(0, tail - int(self._kv.get(f"wx:pending:{openid}:head") or 0))

    def flush_pending(self, openid: str) -> int:
        """Send what waited for this user, oldest first, until WeChat refuses again; → number sent."""
        lock = f"wx:pending:{openid}:lock"
        if not self._kv.set_nx(lock, "1", ttl=30):
            return 0
        try:
            return self._flush(openid)
        finally:
            self._kv.delete(lock)

    def _flush(self, openid: str) -> int:
        head = int(self._kv.get(f"wx:pending:{openid}:head") or 0)
        tail = int(self._kv.get(f"wx:pending:{openid}:tail") or 0)
        sent = 0
        for seq in range(head + 1, tail + 1):
            item = self._kv.get(f"wx:pending:{openid}:{seq}")
            if item is not None:
                try:
                    self.send(openid, _decode(item))
                except WeChatAPIError as exc:
                    log.info("pending CS messages wait longer (%s)", exc.errcode)
                    break
                sent += 1
                self._kv.delete(f"wx:pending:{openid}:{seq}")
            head = seq
            self._kv.set(f"wx:pending:{openid}:head", str(head), ttl=PENDING_TTL_SECONDS)
        if head >= tail:
            for suffix in ("head", "tail"):
                self._kv.delete(f"wx:pending:{openid}:{suffix}")
        return sent


def _encode(reply: Reply) -> str:
    kind = next(k for k, cls in _REPLY_TYPES.items() if isinstance(reply, cls))
    return json.dumps({"type": kind, **asdict(reply)}, ensure_ascii=False)


def _decode(item: str) -> Reply:
    data = json.loads(item)
    return _REPLY_TYPES[data.pop("type")](**data)


def _template_data(reply: Reply) -> dict[str, Any]:
    if isinstance(reply, NewsReply):
        return {"thing1": {"value": reply.title[:20]}, "thing2": {"value": reply.description[:20]}}
    if isinstance(reply, TextReply):
        return {"thing1": {"value": reply.content[:20]}}
    return {"thing1": {"value": "您有一条新消息"}}
