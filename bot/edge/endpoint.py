"""`GET|POST /wechat`: verify, parse, dedup, run the dialogue under a hard deadline, reply.

The dialogue (`respond`) is sync and runs in a worker thread.  If it is not done
by `reply_deadline_seconds` we answer `success` (WeChat then neither retries nor
shows an error) and the worker thread, when it finishes, hands the reply to the
send-later path (customer-service message).  Rejections carry no body.

The worker thread's cache traffic is two round trips per message: the dedup claim
(`SET NX`) together with the keys the reply will read (`prefetch`: dialogue state,
the CS window's pending queue), then — through the KV's `batch()` — every write of
the reply (state, the answer kept for WeChat's retries, the CS window) in one pipeline.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from bot.edge.config import EdgeConfig
from bot.edge.dedup import RetryLedger
from bot.edge.inbound_xml import Fields, decode_body, dedup_key, parse_fields, require_sender, to_inbound
from bot.edge.ports import BindLogContext, LateDelivery, Prefetch, Respond
from bot.edge.rejection import Rejected, bad_request
from bot.edge.reply_xml import SUCCESS, render_reply
from bot.edge.security import CallbackVerifier
from bot.edge.texts import APOLOGY
from bot.kv import KV
from bot.messages import EmptyReply, ImageReply, Inbound, NewsReply, Reply, TextReply, TransferReply

log = logging.getLogger("bot.edge")

_REPLY_TYPES = (TextReply, NewsReply, ImageReply, TransferReply, EmptyReply)
_RETRY = "\x00retry"  # from the worker: this delivery is WeChat's retry of a message in progress


class _Job:
    """One dialogue run, shared by the event loop and the worker thread."""

    __slots__ = ("inbound", "to_user", "xml", "reply", "gave_up", "lock")

    def __init__(self, inbound: Inbound, to_user: str) -> None:
        self.inbound = inbound
        self.to_user = to_user
        self.xml: str | None = None
        self.reply: Reply | None = None
        self.gave_up = False
        self.lock = threading.Lock()

    def complete(self, reply: Reply, xml: str) -> bool:
        """Worker side: False if the loop already answered `success` (deliver late instead)."""
        with self.lock:
            self.reply = reply
            if self.gave_up:
                return False
            self.xml = xml
            return True

    def give_up(self) -> str | None:
        """Loop side at the deadline: the reply if it just made it, else None (answer `success`)."""
        with self.lock:
            if self.xml is None:
                self.gave_up = True
            return self.xml


class WeChatEndpoint:
    def __init__(
        self,
        config: EdgeConfig,
        respond: Respond,
        kv: KV,
        *,
        late: LateDelivery | None = None,
        bind_log_context: BindLogContext | None = None,
        prefetch: Prefetch | None = None,
    ) -> None:
        self._config = config
        self._respond = respond
        self._late = late
        self._bind = bind_log_context
        self._prefetch = prefetch
        self._batch: Callable[[dict[str, str | None]], AbstractContextManager[object]] = (
            getattr(kv, "batch", None) or (lambda known: nullcontext()))
        self._verifier = CallbackVerifier(config)
        self._ledger = RetryLedger(kv, config.dedup_ttl_seconds)
        self._pool = ThreadPoolExecutor(max_workers=config.worker_threads, thread_name_prefix="dialogue")

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    async def handle(self, request: Request) -> Response:
        request_id = os.urandom(6).hex()
        try:
            if request.method == "GET":
                return PlainTextResponse(self._echo(request))
            xml = await self._post(request, request_id)
        except Rejected as exc:
            log.warning("rid=%s rejected %s callback: %s %s", request_id, request.method, exc.status, exc.reason)
            return Response(status_code=exc.status)
        if xml == SUCCESS:
            return PlainTextResponse(SUCCESS)
        return Response(xml, media_type="application/xml")

    def _echo(self, request: Request) -> str:
        """Server URL verification: a valid signature gets `echostr` back verbatim."""
        self._verifier.check_query(request.query_params)
        echostr = request.query_params.get("echostr")
        if echostr is None:
            raise bad_request("verification without echostr")
        return echostr

    async def _post(self, request: Request, request_id: str) -> str:
        query = request.query_params
        safe_mode = query.get("encrypt_type", "").lower() == "aes"
        self._verifier.check_query(query, require_signature=not safe_mode)
        fields = parse_fields(decode_body(await _read_capped(request, self._config.max_body_bytes)))
        if safe_mode:
            fields = parse_fields(self._verifier.decrypt(fields, query))
        require_sender(fields)
        xml = await self._answer(fields, request_id)
        if safe_mode and xml != SUCCESS:
            return self._verifier.encrypt(xml, query.get("nonce", ""))
        return xml

    async def _answer(self, fields: Fields, request_id: str) -> str:
        deadline = time.monotonic() + self._config.reply_deadline_seconds
        key = dedup_key(fields)
        to_user = fields.get("ToUserName") or self._config.original_id
        job = _Job(to_inbound(fields, request_id), to_user if isinstance(to_user, str) else "")
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[str] = loop.create_future()
        context = contextvars.copy_context()
        self._pool.submit(context.run, self._run, job, key, loop, waiter)
        try:
            xml = await asyncio.wait_for(waiter, deadline - time.monotonic())
        except TimeoutError:
            xml = job.give_up()
            if xml is None:
                log.warning("rid=%s dialogue over %.1fs: answered success, reply follows by CS message",
                            request_id, self._config.reply_deadline_seconds)
                return SUCCESS
            return xml
        if xml is _RETRY:
            log.info("rid=%s retry of %s: returning the first answer", request_id, key)
            return await self._ledger.wait(key, deadline) or SUCCESS
        return xml

    # -- worker thread -----------------------------------------------------
    def _run(self, job: _Job, key: str, loop: asyncio.AbstractEventLoop, waiter: asyncio.Future[str]) -> None:
        """Claim the message (reading ahead the keys the reply needs), reply, bookkeeping — two cache round trips."""
        inbound = job.inbound
        if self._bind is not None:
            self._bind(inbound.request_id, inbound.openid)
        claimed, known = self._ledger.claim(key, self._keys_for(inbound))
        if not claimed:
            loop.call_soon_threadsafe(_resolve, waiter, _RETRY)
            return
        with self._batch(known):
            reply, xml = self._reply_for(inbound, job.to_user)
            on_time = job.complete(reply, xml)
            if on_time:
                self._ledger.finish(key, xml)
            else:
                self._ledger.finish_late(key)
            waiting = self._note_inbound(inbound)
        if on_time:
            loop.call_soon_threadsafe(_resolve, waiter, xml)
        else:
            self._deliver_late(inbound, reply)
        if waiting:
            self._flush_pending(inbound.openid)

    def _keys_for(self, inbound: Inbound) -> Sequence[str]:
        if self._prefetch is None:
            return ()
        try:
            return tuple(self._prefetch(inbound))
        except Exception:  # noqa: BLE001 - reading ahead is an optimisation
            log.exception("rid=%s prefetch keys failed", inbound.request_id)
            return ()

    def _reply_for(self, inbound: Inbound, to_user: str) -> tuple[Reply, str]:
        try:
            reply = self._respond(inbound)
            if not isinstance(reply, _REPLY_TYPES):
                raise TypeError(f"respond returned {type(reply).__name__}, not a reply")
            return reply, render_reply(reply, inbound.openid, to_user)
        except Exception:
            log.exception("rid=%s respond failed for %s message; sent the apology", inbound.request_id, inbound.kind)
            reply = TextReply(APOLOGY)
            return reply, render_reply(reply, inbound.openid, to_user)

    def _deliver_late(self, inbound: Inbound, reply: Reply) -> None:
        if self._late is None:
            log.error("rid=%s late reply dropped: no send-later path configured", inbound.request_id)
            return
        self._late.deliver(inbound.openid, reply)

    def _note_inbound(self, inbound: Inbound) -> bool:
        """Open the user's CS window; True if messages wait for them (sent after the passive reply)."""
        if self._late is None:
            return False
        try:
            return self._late.note_inbound(inbound)
        except Exception:  # noqa: BLE001 - bookkeeping must never break the reply path
            log.exception("rid=%s send-later bookkeeping failed", inbound.request_id)
            return False

    def _flush_pending(self, openid: str) -> None:
        try:
            self._late.flush_pending(openid)  # type: ignore[union-attr]
        except Exception:  # noqa: BLE001
            log.exception("send-later flush failed")


def _resolve(waiter: asyncio.Future[str], xml: str) -> None:
    if not waiter.done():
        waiter.set_result(xml)


async def _read_capped(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise bad_request("bad Content-Length")
        if int(declared) > limit:
            raise Rejected(413, f"body of {declared} bytes over the {limit}-byte cap")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Rejected(413, f"body over the {limit}-byte cap")
        chunks.append(chunk)
    return b"".join(chunks)
