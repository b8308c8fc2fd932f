"""Delivering the promo video by customer-service message: render (cached), upload once, send once.

A plain function over the runtime's collaborators (tested without Celery);
`worker.tasks.video` wraps it in a task.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from worker.delivery import MEDIA_TTL
from worker.idempotency import once
from worker.ports import KV

log = logging.getLogger(__name__)


class RenderedVideoLike(Protocol):
    data: bytes
    cache_key: str
    title: str
    description: str


class VideoService(Protocol):
    def video_for(self, openid: str, ref_id: str) -> RenderedVideoLike: ...


class WechatVideoApi(Protocol):
    def upload_media(self, kind: str, data: bytes, filename: str) -> str: ...
    def send_video(self, openid: str, media_id: str, title: str, description: str) -> object: ...


def video_media_key(cache_key: str) -> str:
    return f"video:media:{cache_key}"


@dataclass
class VideoDelivery:
    kv: KV
    wechat_api: WechatVideoApi
    poster_service: VideoService

    def deliver(self, openid: str, product_id: str, request_id: str) -> bool:
        """Send the video at most once per `request_id`; False if it was already sent."""

        def send() -> None:
            video = self.poster_service.video_for(openid, product_id)
            media_id = self.media_id(video)
            self.wechat_api.send_video(openid, media_id, video.title, video.description)

        sent = once(self.kv, f"video:delivery:{request_id}", send)
        if not sent:
            log.info("video delivery %s already done; duplicate task ignored", request_id)
        return sent

    def media_id(self, video: RenderedVideoLike) -> str:
        key = video_media_key(video.cache_key)
        media_id = self.kv.get(key)
        if not media_id:
            media_id = self.wechat_api.upload_media("video", video.data, f"{video.cache_key}.mp4")
            self.kv.set(key, media_id, MEDIA_TTL)
        return media_id
