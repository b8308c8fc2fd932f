"""Delivering a poster by customer-service message: render, upload once, send once.

Plain functions over the runtime's collaborators, so they are tested without
Celery; `worker.tasks.posters` wraps them in a task.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from worker.idempotency import once
from worker.ports import KV, PosterService, RenderedPoster, WechatMediaApi

log = logging.getLogger(__name__)

MEDIA_TTL = 3 * 24 * 3600.0 - 3600.0  # WeChat temporary media live 3 days; keep an hour's margin


def media_key(cache_key: str) -> str:
    return f"poster:media:{cache_key}"


@dataclass
class PosterDelivery:
    kv: KV
    wechat_api: WechatMediaApi
    poster_service: PosterService

    def deliver(self, openid: str, kind: str, ref_id: str, request_id: str) -> dict[str, bool]:
        """Send the poster image, then its copy; each at most once per `request_id`."""
        poster: list[RenderedPoster] = []

        def rendered() -> RenderedPoster:
            if not poster:
                poster.append(self.poster_service.render_for(openid, kind, ref_id))
            return poster[0]

        def send_image() -> None:
            self.wechat_api.send_image(openid, self.media_id(rendered()))

        def send_copy() -> None:
            if rendered().copy:
                self.wechat_api.send_text(openid, rendered().copy or "")

        prefix = f"poster:delivery:{request_id}"
        sent = {"image": once(self.kv, f"{prefix}:image", send_image),
                "copy": once(self.kv, f"{prefix}:copy", send_copy)}
        if not any(sent.values()):
            log.info("poster delivery %s already done; duplicate task ignored", request_id)
        return sent

    def media_id(self, poster: RenderedPoster) -> str:
        """The uploaded media id for this poster, uploading (and caching for 3 days) on a miss."""
        key = media_key(poster.cache_key)
        media_id = poster.media_id or self.kv.get(key)
        if not media_id:
            media_id = self.wechat_api.upload_media("image", poster.data, f"{poster.cache_key}.jpg")
            self.kv.set(key, media_id, MEDIA_TTL)
        return media_id
