"""Promo video delivery: the chat replied "推广视频生成中…"; this renders and sends the video."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task

from worker.errors import RETRY_POLICY, UNDELIVERABLE_ERRORS
from worker.runtime import runtime
from worker.video import VideoDelivery

log = logging.getLogger(__name__)


@shared_task(name="worker.deliver_video", acks_late=True, **RETRY_POLICY)  # type: ignore[misc]
def deliver_video(openid: str, product_id: str, request_id: str) -> bool:
    rt: Any = runtime()
    try:
        return VideoDelivery(rt.kv, rt.wechat_api, rt.poster_service).deliver(openid, product_id, request_id)
    except UNDELIVERABLE_ERRORS as exc:
        log.warning("video %s for %s not deliverable now, dropped: %s", request_id, openid, exc)
        return False
