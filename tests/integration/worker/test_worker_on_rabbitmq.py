"""A real worker process on the real RabbitMQ broker delivers a real poster."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import zxingcpp
from PIL import Image

from tests.integration.worker.worker_process import REFERRAL_URL
from worker.app import create_celery
from worker.tasks.posters import deliver_poster

BROKER = os.environ.get("SIYU_TEST_AMQP", "amqp://guest:guest@127.0.0.1:5672//")
REDIS = os.environ.get("SIYU_TEST_REDIS", "redis://127.0.0.1:6379/0")
ROOT = Path(__file__).resolve().parents[3]

pytestmark = [pytest.mark.slow, pytest.mark.rabbitmq, pytest.mark.redis, pytest.mark.timeout(90)]


@pytest.fixture
def names() -> Iterator[tuple[str, str, redis.Redis]]:
    queue, prefix = f"siyu-test-{uuid.uuid4().hex[:10]}", f"siyu-test:{uuid.uuid4().hex[:10]}:"
    client = redis.Redis.from_url(REDIS)
    yield queue, prefix, client
    for key in client.scan_iter(prefix + "*"):
        client.delete(key)
    app = create_celery(BROKER, eager=False, queue=queue)
    with app.connection_for_write() as conn:
        conn.default_channel.queue_delete(queue)


def _start_worker(queue: str, prefix: str, data_dir: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.integration.worker.worker_process", BROKER, queue, REDIS, prefix, str(data_dir)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )


def _wait_for(check, timeout: float = 45.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the worker")
        time.sleep(0.1)


def test_tasks_queued_while_the_worker_is_down_are_delivered_once_it_starts_and_a_duplicate_sends_one_image(
    names, tmp_path
):
    queue, prefix, client = names
    create_celery(BROKER, eager=False, queue=queue)
    for _ in range(2):  # the same request delivered twice (a broker redelivery or a double enqueue)
        deliver_poster.apply_async(args=("o-rabbit", "product", "7", "req-rabbit-1"))

    worker = _start_worker(queue, prefix, tmp_path)
    try:
        _wait_for(lambda: int(client.get(prefix + "tasks_done") or 0) >= 2 or worker.poll() is not None)
    finally:
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=20)[0].decode(errors="replace")
    assert int(client.get(prefix + "tasks_done") or 0) == 2, output

    outbox = [m.decode() for m in client.lrange(prefix + "outbox", 0, -1)]
    assert outbox == ["image o-rabbit media-1", "text o-rabbit 好物推荐 7"], output
    poster = client.get(prefix + "media:media-1")
    assert poster is not None
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(poster)))] == [REFERRAL_URL]
    assert len(list((tmp_path / "posters").glob("*.jpg"))) == 1
