"""`create_celery`: the one Celery app factory (no connection is made here).

At-least-once delivery: `acks_late` + `reject_on_worker_lost` + prefetch 1,
so a task whose worker dies is redelivered; tasks are idempotent to make that
safe.  JSON only, no result backend (tasks never wait for each other).  In
eager mode (the demo) tasks run inline in the caller's process.
"""

from __future__ import annotations

import importlib
from typing import Any

from celery import Celery

from worker.beat import build_schedule
from worker.tasks import TASK_MODULES

DEFAULT_QUEUE = "siyu"


def create_celery(
    broker_url: str,
    eager: bool,
    beat_schedule: dict[str, dict[str, Any]] | None = None,
    *,
    queue: str = DEFAULT_QUEUE,
    timezone: str = "Asia/Shanghai",
) -> Celery:
    for module in TASK_MODULES:
        importlib.import_module(module)  # registers the shared tasks
    app = Celery("siyu", set_as_current=True)
    app.conf.update(
        broker_url=broker_url or "memory://",
        result_backend=None,
        task_ignore_result=True,
        task_always_eager=eager,
        task_eager_propagates=False,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_default_queue=queue,
        task_default_exchange=queue,
        task_default_routing_key=queue,
        timezone=timezone,
        enable_utc=True,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": 3600},  # Redis broker: > longest retry countdown
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        beat_schedule=build_schedule(beat_schedule),
    )
    app.set_default()
    return app
