from __future__ import annotations

from datetime import timedelta

import pytest
from celery.schedules import crontab

from tests.integration.worker.fakes import FakeRuntime
from worker.app import create_celery
from worker.beat import BeatConfigError, build_schedule, parse_schedule
from worker.runtime import clear_runtime, set_runtime
from worker.tasks.jobs import UnknownJob, run_job


class TestCreateCelery:
    def test_configures_at_least_once_delivery_json_and_no_result_backend(self):
        conf = create_celery("amqp://guest:guest@127.0.0.1:5672//", eager=False).conf
        assert (conf.task_acks_late, conf.task_reject_on_worker_lost, conf.worker_prefetch_multiplier) == (True, True, 1)
        assert (conf.task_serializer, list(conf.accept_content)) == ("json", ["json"])
        assert conf.result_backend is None and conf.task_always_eager is False

    def test_registers_the_poster_and_job_tasks(self):
        app = create_celery("", eager=True)
        assert {"worker.deliver_poster", "worker.run_job"} <= set(app.tasks)
        assert app.conf.task_always_eager is True

    def test_the_config_file_schedule_becomes_the_beat_schedule(self):
        app = create_celery("", eager=True, beat_schedule={
            "expire-unpaid-orders": {"task": "siyu.orders.expire_unpaid", "schedule": 60},
            "settle-weekly": {"task": "siyu.distribution.settle", "schedule": "crontab 0 3 * * 1", "args": ["weekly"]},
        })
        entries = app.conf.beat_schedule
        assert entries["expire-unpaid-orders"]["schedule"] == timedelta(seconds=60)
        assert entries["settle-weekly"]["schedule"] == crontab(minute="0", hour="3", day_of_week="1")
        assert entries["settle-weekly"]["args"] == ("weekly",)


class TestBeatSchedule:
    @pytest.mark.parametrize(("value", "expected"), [
        (30, timedelta(seconds=30)), ("90", timedelta(seconds=90)), (0.5, timedelta(seconds=0.5)),
        ("*/5 * * * *", crontab(minute="*/5")), ("crontab 30 2 1 * *", crontab(minute="30", hour="2", day_of_month="1")),
    ])
    def test_seconds_and_crontab_strings_are_accepted(self, value, expected):
        assert parse_schedule(value) == expected

    @pytest.mark.parametrize("entry", [
        {"task": "x", "schedule": "0 3 * *"}, {"task": "x", "schedule": -5}, {"task": "x"},
        {"schedule": 60}, {"task": "x", "schedule": 60, "every": 1}, {"task": "x", "schedule": "61 * * * *"},
        {"task": "x", "schedule": 60, "args": "weekly"},
    ])
    def test_a_bad_entry_is_refused_with_its_name(self, entry):
        with pytest.raises(BeatConfigError, match="celery.beat_schedule.bad"):
            build_schedule({"bad": entry})


class TestRunJob:
    def test_calls_the_named_job_from_the_runtime(self):
        create_celery("", eager=True)
        calls: list[str] = []
        set_runtime(FakeRuntime(jobs={"settle": lambda period: calls.append(period)}))
        try:
            assert run_job.apply(args=("settle", "weekly")).successful()
            assert calls == ["weekly"]
            assert isinstance(run_job.apply(args=("nope",)).result, UnknownJob)
        finally:
            clear_runtime()
