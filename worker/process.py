"""Running the worker and beat processes for an app (what `siyu worker|beat` call)."""

from __future__ import annotations

from pathlib import Path

from celery import Celery


def run_worker(app: Celery, *, concurrency: int = 1, pool: str = "prefork", loglevel: str = "INFO",
               queues: list[str] | None = None, hostname: str | None = None) -> None:
    """Blocks until the worker stops (SIGTERM: warm shutdown, unacked tasks go back to the queue)."""
    argv = ["worker", f"--loglevel={loglevel}", f"--concurrency={concurrency}", f"--pool={pool}",
            "--without-gossip", "--without-mingle", "--without-heartbeat"]
    argv += [f"--queues={','.join(queues or [app.conf.task_default_queue])}"]
    if hostname:
        argv.append(f"--hostname={hostname}")
    app.worker_main(argv)


def run_beat(app: Celery, *, schedule_file: Path, loglevel: str = "INFO") -> None:
    """Blocks; the last-run times persist in `schedule_file` so a restart does not re-fire everything."""
    schedule_file.parent.mkdir(parents=True, exist_ok=True)
    app.start(["beat", f"--loglevel={loglevel}", f"--schedule={schedule_file}"])
