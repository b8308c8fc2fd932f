"""`siyu worker` and `siyu beat`: the Celery processes, wired by the composition root.

The container from `siyu.container.boot()` is installed as the worker runtime
(tasks read `kv`, `wechat_api`, `poster_service`, `db`, `settings`, `jobs`
from it): `poster_service` for `worker.deliver_poster` / `worker.deliver_video`, `jobs`
for beat's `worker.run_job` entries (see `siyu/jobs.py`).
"""

from __future__ import annotations

from typing import Any

import typer


def _celery(container: Any) -> Any:
    return container.celery_app  # installs the container as the worker runtime


def _boot() -> Any:
    from siyu.container import boot

    container = boot()
    if container.settings.celery_eager:
        typer.echo("celery.broker_url is empty (eager mode): tasks run inline, no worker needed. "
                   "Set SIYU_CELERY__BROKER_URL to run one / 未配置消息队列，任务在进程内执行", err=True)
        raise typer.Exit(2)
    return container


def worker_cmd(
    concurrency: int = typer.Option(2, help="worker processes"),
    pool: str = typer.Option("prefork", help="prefork | solo | threads"),
    loglevel: str = typer.Option("INFO"),
) -> None:
    """Run a Celery worker: posters, settlement, payouts, reports, timeouts."""
    from siyu import notifications
    from worker.process import run_worker

    container = _boot()
    notifications.register(container)  # jobs that finish payouts (reconcile_payouts) notify like the callback
    run_worker(_celery(container), concurrency=concurrency, pool=pool, loglevel=loglevel)


def beat_cmd(loglevel: str = typer.Option("INFO")) -> None:
    """Run the beat scheduler (celery.beat_schedule in config.yml); run exactly one."""
    from worker.process import run_beat

    container = _boot()
    run_beat(_celery(container), schedule_file=container.data_dir / "celerybeat-schedule", loglevel=loglevel)


def register(root: typer.Typer) -> None:
    root.command(name="worker")(worker_cmd)
    root.command(name="beat")(beat_cmd)
