"""`worker.run_job`: a beat entry that calls a named job the composition root registered.

Lets `config.yml`'s beat schedule reach commerce use cases (expire unpaid
orders, settle commission, …) without a task module per job:
`{"task": "worker.run_job", "schedule": 60, "args": ["expire_unpaid_orders"]}`.
Jobs must be idempotent (they are re-run after a crash).
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task

from worker.errors import RETRY_POLICY
from worker.runtime import runtime

log = logging.getLogger(__name__)


class UnknownJob(LookupError):
    pass


@shared_task(name="worker.run_job", acks_late=True, **RETRY_POLICY)  # type: ignore[misc]
def run_job(name: str, *args: Any) -> Any:
    jobs: dict[str, Any] = getattr(runtime(), "jobs", None) or {}
    if name not in jobs:
        raise UnknownJob(f"no job {name!r} registered in the worker runtime (have: {sorted(jobs)})")
    log.info("running job %s", name)
    return jobs[name](*args)
