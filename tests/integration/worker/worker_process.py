"""A real Celery worker process for the RabbitMQ test, with a Redis-observed runtime.

Run as `python -m tests.integration.worker.worker_process BROKER QUEUE REDIS_URL PREFIX DATA_DIR`.
The runtime renders real posters (posters.render_cached into DATA_DIR) and a
fake WeChat API records uploads and sends in Redis under PREFIX, so the test
observes what the worker did from outside the process.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis
from celery.signals import task_postrun

from posters import LocalPosterStore, ProductPosterData, render_cached
from worker.app import create_celery
from worker.ports import RenderedPoster
from worker.process import run_worker
from worker.runtime import set_runtime

REFERRAL_URL = "http://weixin.qq.com/q/02rabbitTest0001"


class RedisKV:
    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self.r, self.p = client, prefix

    def get(self, key: str) -> str | None:
        value = self.r.get(self.p + key)
        return value.decode() if value is not None else None

    def set(self, key: str, value: str, ttl: float | None = None) -> None:
        self.r.set(self.p + key, value, px=int(ttl * 1000) if ttl else None)

    def set_nx(self, key: str, value: str, ttl: float) -> bool:
        return bool(self.r.set(self.p + key, value, px=int(ttl * 1000), nx=True))

    def delete(self, key: str) -> None:
        self.r.delete(self.p + key)


class RecordingWechatApi:
    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self.r, self.p = client, prefix

    def upload_media(self, kind: str, data: bytes, filename: str) -> str:
        media_id = f"media-{self.r.incr(self.p + 'media_seq')}"
        self.r.set(self.p + "media:" + media_id, data)
        return media_id

    def send_image(self, openid: str, media_id: str) -> None:
        self.r.rpush(self.p + "outbox", f"image {openid} {media_id}")

    def send_text(self, openid: str, text: str) -> None:
        self.r.rpush(self.p + "outbox", f"text {openid} {text}")


@dataclass
class PosterServiceOnDisk:
    store: LocalPosterStore

    def render_for(self, openid: str, kind: str, ref_id: str) -> RenderedPoster:
        data = ProductPosterData(name=f"测试商品 {ref_id}", price_fen=3990, qr_content=REFERRAL_URL,
                                 distributor_name="小雨", selling_points=["酸甜多汁"])
        image, key, _ = render_cached(self.store, kind, data, qr_ticket=REFERRAL_URL)
        return RenderedPoster(data=image, cache_key=key, copy=f"好物推荐 {ref_id}")


@dataclass
class Runtime:
    kv: Any
    wechat_api: Any
    poster_service: Any


def main(broker: str, queue: str, redis_url: str, prefix: str, data_dir: str) -> None:
    client = redis.Redis.from_url(redis_url)
    set_runtime(Runtime(RedisKV(client, prefix), RecordingWechatApi(client, prefix),
                        PosterServiceOnDisk(LocalPosterStore(Path(data_dir)))))

    @task_postrun.connect(weak=False)
    def _count(**_: Any) -> None:
        client.incr(prefix + "tasks_done")

    app = create_celery(broker, eager=False, queue=queue)
    run_worker(app, pool="solo", concurrency=1, loglevel="INFO", hostname=f"{queue}@%h")


if __name__ == "__main__":
    main(*sys.argv[1:6])
