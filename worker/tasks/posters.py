"""Poster delivery: the chat replied "海报生成中…"; this sends the image and the copy."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task

from worker.delivery import PosterDelivery
from worker.errors import RETRY_POLICY, UNDELIVERABLE_ERRORS
from worker.runtime import runtime

log = logging.getLogger(__name__)


@shared_task(name="worker.deliver_poster", acks_late=True, **RETRY_POLICY)  # type: ignore[misc]
def deliver_poster(openid: str, kind: str, ref_id: str, request_id: str) -> dict[str, bool]:
    """kind: `product` | `shop` | `event`; ref_id: the product/event id as a string."""
    rt: Any = runtime()
    try:
        return PosterDelivery(rt.kv, rt.wechat_api, rt.poster_service).deliver(openid, kind, ref_id, request_id)
    except UNDELIVERABLE_ERRORS as exc:
        log.warning("poster %s for %s not deliverable now, dropped: %s", request_id, openid, exc)
        return {"image": False, "copy": False}
