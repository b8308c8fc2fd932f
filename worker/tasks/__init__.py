"""Task modules; `worker.app.create_celery` imports them so their tasks register."""

from __future__ import annotations

TASK_MODULES = ("worker.tasks.posters", "worker.tasks.jobs", "worker.tasks.video", "worker.tasks.notify")
