"""A real `siyu worker` process on RabbitMQ delivers a poster through the sandbox over HTTP.

The app runs under uvicorn (PostgreSQL, Redis, the WeChat sandbox); the worker is
started by the test as `siyu worker` with the deployment environment variables.
A request made while no worker listens is answered "delayed" and delivered once
the worker is up; with the worker running, the next request is simply queued.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import texts
from commerce.db import Database
from tests.e2e.poster_delivery.site import ROOT, PosterSite, of_type
from tests.integration.poster_delivery.shop import make_distributor, seed

BROKER = os.environ.get("SIYU_TEST_AMQP", "amqp://guest:guest@127.0.0.1:5672//")
REDIS = os.environ.get("SIYU_TEST_REDIS", "redis://127.0.0.1:6379/0")

pytestmark = [pytest.mark.slow, pytest.mark.rabbitmq, pytest.mark.redis, pytest.mark.postgres,
              pytest.mark.timeout(90)]


@pytest.fixture
def site(tmp_path: Path, pg_url: str, pg_db: Database) -> Iterator[PosterSite]:
    queue = f"siyu-test-{uuid.uuid4().hex[:10]}"
    with PosterSite(tmp_path, database={"url": pg_url}, redis={"url": REDIS},
                    celery={"broker_url": BROKER, "queue": queue},
                    wechat={"app_id": f"wx_test_{uuid.uuid4().hex[:10]}"}) as running:
        yield running
        with running.container.celery_app.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)


def start_worker(site: PosterSite) -> subprocess.Popen[bytes]:
    s = site.settings
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SIYU_MODE": "demo", "SIYU_DATA_DIR": str(s.data_dir),
           "SIYU_PUBLIC_BASE_URL": site.base_url, "SIYU_DATABASE__URL": s.database.url,
           "SIYU_REDIS__URL": s.redis.url, "SIYU_CELERY__BROKER_URL": s.celery.broker_url,
           "SIYU_CELERY__QUEUE": s.celery.queue, "SIYU_WECHAT__APP_ID": s.wechat.app_id,
           "SIYU_WECHAT__API_BASE": f"{site.base_url}/sandbox"}
    siyu = Path(sys.executable).with_name("siyu")
    command = [str(siyu)] if siyu.exists() else [sys.executable, "-c", "from siyu.cli import main; main()"]
    return subprocess.Popen([*command, "worker", "--pool", "solo", "--concurrency", "1"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def test_siyu_worker_on_rabbitmq_delivers_a_poster_queued_while_it_was_down(site: PosterSite) -> None:
    products = seed(site.container.db, Path(site.settings.data_dir) / "media")
    code = make_distributor(site.container.db, dist := f"o-dist-{uuid.uuid4().hex[:8]}")
    site.say(dist, "脐橙")
    assert site.say(dist, "给我生成第一个商品的海报") == texts.SHARE_DELAYED  # no worker yet

    worker = start_worker(site)
    try:
        messages = site.wait_outbox(dist, lambda m: len(m) >= 2, seconds=60)
        assert [m["msgtype"] for m in messages] == ["image", "text"]
        assert site.resolve(site.poster_qr(messages[0])) == f"d_{code}_p{products['P-ORANGE']}"

        assert site.say(dist, "店铺海报") == texts.SHARE_SHOP_POSTER_GENERATING  # a worker listens now
        shop = of_type(site.wait_outbox(dist, lambda m: len(of_type(m, "image")) == 2, seconds=30), "image")[1]
        assert site.resolve(site.poster_qr(shop)) == f"d_{code}"
    finally:
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=20)[0].decode(errors="replace")
    assert "Traceback" not in output, output
