"""Beat's schedule names jobs that exist, and `worker.run_job` runs them against the container."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from commerce.db import Base
from siyu.container import Container, boot
from siyu.settings import load_settings
from worker.beat import build_schedule
from worker.runtime import clear_runtime
from worker.tasks.jobs import UnknownJob, run_job


@pytest.fixture
def container(tmp_path: Path) -> Iterator[Container]:
    c = boot(load_settings(mode="demo", data_dir=tmp_path, database={"url": f"sqlite:///{tmp_path / 'j.db'}"},
                           redis={"url": ""}, celery={"broker_url": ""}), logging_on=False)
    Base.metadata.create_all(c.db.engine)
    c.celery_app  # noqa: B018 - installs the container as the worker runtime
    yield c
    clear_runtime()
    c.close()


def test_every_configured_beat_entry_runs_a_registered_job(container: Container) -> None:
    schedule = build_schedule(load_settings().celery.beat_schedule)
    assert schedule, "config.yml schedules nothing"
    for name, entry in schedule.items():
        assert entry["task"] == "worker.run_job", name
        assert entry["args"][0] in container.jobs, name
        assert entry["task"] in container.celery_app.tasks


def test_jobs_run_through_the_task_and_settlement_is_idempotent(container: Container) -> None:
    assert run_job.apply(args=["expire_unpaid_orders"]).get() == 0
    assert run_job.apply(args=["release_frozen_commission"]).get() == 0
    first: dict[str, Any] = run_job.apply(args=["settle", "weekly"]).get()
    again: dict[str, Any] = run_job.apply(args=["settle", "weekly"]).get()
    assert first["created"] and not again["created"] and first["period"] == again["period"]


def test_an_unknown_job_or_period_fails_loudly(container: Container) -> None:
    assert isinstance(run_job.apply(args=["no_such_job"]).result, UnknownJob)
    assert isinstance(run_job.apply(args=["settle", "yearly"]).result, ValueError)
