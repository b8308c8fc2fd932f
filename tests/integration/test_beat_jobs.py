"""Every periodic job in config.yml exists and runs on an empty shop."""

from __future__ import annotations

from pathlib import Path

from commerce.db import Base
from siyu.container import boot
from siyu.settings import load_settings


def test_every_beat_schedule_entry_names_a_job_that_runs(tmp_path: Path) -> None:
    c = boot(load_settings(data_dir=tmp_path, database={"url": f"sqlite:///{tmp_path / 's.db'}"}), logging_on=False)
    Base.metadata.create_all(c.db.engine)
    schedule = c.settings.celery.beat_schedule
    assert schedule
    for name, entry in schedule.items():
        assert entry["task"] == "worker.run_job", name
        job, *args = entry["args"]
        assert job in c.jobs, f"{name}: unknown job {job}"
        c.jobs[job](*args)
    c.close()
