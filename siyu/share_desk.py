"""The share desk the chat handlers use (`bot.dialogue.sharing.ShareDesk`), wired to the poster
service, the customer-service quota and the task queue.

`request` decides at once what the user is told: join first (not a distributor),
quota exhausted (WeChat would refuse the image), queued, or delayed (broker down:
held and delivered when it is back).  The slow part runs in `worker.deliver_poster`
/ `worker.deliver_video`.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from bot.dialogue.sharing import CopyResult, ShareKind, ShareOutcome, ShareRequest
from bot.outbound import EVENT_QUOTA
from commerce.catalog.errors import ProductNotFound, ProductOffShelf
from posters import ForbiddenCopy
from posters.copy import Tone
from siyu.posters import PosterService

log = logging.getLogger("siyu.share")

POSTER_TASK = "worker.deliver_poster"
VIDEO_TASK = "worker.deliver_video"


class QuotaSource(Protocol):
    def quota_left(self, openid: str) -> int | None: ...


class Dispatcher(Protocol):
    def dispatch(self, name: str, args: Any) -> bool: ...


class ShareDesk:
    def __init__(self, posters: PosterService, dispatcher: Dispatcher, quota: QuotaSource,
                 quota_per_48h: int) -> None:
        self._posters, self._dispatcher, self._quota = posters, dispatcher, quota
        self._per_48h = quota_per_48h

    def request(self, req: ShareRequest) -> ShareOutcome:
        if not self._posters.may_share(req.openid):
            return ShareOutcome.JOIN_FIRST
        if self.quota_after(req) == 0:
            log.info("CS quota exhausted for a %s request; user told in the passive reply", req.kind)
            return ShareOutcome.QUOTA_EXHAUSTED
        if req.kind is ShareKind.VIDEO:
            queued = self._dispatcher.dispatch(VIDEO_TASK, (req.openid, req.ref_id, req.request_id))
        else:
            queued = self._dispatcher.dispatch(POSTER_TASK, (req.openid, req.kind.value, req.ref_id,
                                                             req.request_id))
        return ShareOutcome.QUEUED if queued else ShareOutcome.DELAYED

    def quota_after(self, req: ShareRequest) -> int | None:
        """CS messages WeChat will take once this request opened its window (None: unlimited, paid).

        The edge counts the inbound only after the reply, so the stored counter is
        stale here: a typed message renews the 5-per-48 h quota, a menu click adds
        the 3-per-minute event quota to what is left of it.
        """
        left = self._quota.quota_left(req.openid)
        if left is None:
            return None
        if req.via_event:
            return left + EVENT_QUOTA
        return self._per_48h

    def promo_copy(self, openid: str, product_id: int, tone: str, variant: int) -> CopyResult:
        if not self._posters.may_share(openid):
            return CopyResult(ShareOutcome.JOIN_FIRST)
        try:
            text = self._posters.copy_for(openid, product_id, Tone(tone), variant)
        except ForbiddenCopy as exc:
            log.warning("promo copy for product %s refused: banned words %s", product_id, exc.words)
            return CopyResult(ShareOutcome.NOT_SHAREABLE, banned_words=tuple(exc.words))
        except (ProductNotFound, ProductOffShelf):
            return CopyResult(ShareOutcome.NOT_SHAREABLE)
        return CopyResult(ShareOutcome.QUEUED, text)


def build_share_desk(c: Any) -> ShareDesk:
    """For `Container.share_desk`; the quota mirrors `siyu.edge.build_outbound`."""
    from siyu.task_dispatch import TaskDispatcher

    s = c.settings
    dispatcher = TaskDispatcher(c.celery_app, c.kv, eager=s.celery_eager)
    per_48h = s.sandbox.cs_quota_per_48h if s.sandbox.enabled else 5
    return ShareDesk(c.poster_service, dispatcher, c.outbound, per_48h)
