"""The beat schedule, built from configuration.

`config.yml` → `celery.beat_schedule`:

    settle-weekly:
      task: siyu.distribution.settle
      schedule: "crontab 0 3 * * 1"     # or "0 3 * * 1", or seconds: 60
      args: [weekly]                    # optional; kwargs: {...} too

`build_schedule` validates every entry and returns Celery's
`beat_schedule` dict; a bad entry stops start-up with a message naming it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from celery.schedules import crontab

_ALLOWED_KEYS = {"task", "schedule", "args", "kwargs", "options"}
Schedule = timedelta | crontab


class BeatConfigError(ValueError):
    """An invalid `celery.beat_schedule` entry."""


def parse_schedule(value: Any) -> Schedule:
    """Seconds (number or numeric string) → interval; `"[crontab ]m h dom mon dow"` → crontab."""
    if isinstance(value, bool):
        raise BeatConfigError(f"schedule must be seconds or a crontab string, got {value!r}")
    if isinstance(value, (int, float)):
        if value <= 0:
            raise BeatConfigError(f"schedule interval must be positive, got {value!r}")
        return timedelta(seconds=value)
    if not isinstance(value, str):
        raise BeatConfigError(f"schedule must be seconds or a crontab string, got {value!r}")
    text = value.strip().removeprefix("crontab").strip()
    try:
        return parse_schedule(float(text))
    except ValueError:
        pass
    fields = text.split()
    if len(fields) != 5:
        raise BeatConfigError(f"crontab needs 5 fields (minute hour day month weekday), got {value!r}")
    minute, hour, day_of_month, month_of_year, day_of_week = fields
    try:
        return crontab(minute=minute, hour=hour, day_of_month=day_of_month, month_of_year=month_of_year,
                       day_of_week=day_of_week)
    except ValueError as exc:
        raise BeatConfigError(f"invalid crontab {value!r}: {exc}") from exc


def build_schedule(config: dict[str, dict[str, Any]] | None) -> dict[str, dict[str, Any]]:
    """Celery `beat_schedule` from the config mapping (name → entry)."""
    schedule: dict[str, dict[str, Any]] = {}
    for name, entry in (config or {}).items():
        try:
            schedule[name] = _entry(entry)
        except BeatConfigError as exc:
            raise BeatConfigError(f"celery.beat_schedule.{name}: {exc}") from None
    return schedule


def _entry(entry: Any) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise BeatConfigError(f"entry must be a mapping, got {entry!r}")
    unknown = set(entry) - _ALLOWED_KEYS
    if unknown:
        raise BeatConfigError(f"unknown keys {sorted(unknown)} (allowed: {sorted(_ALLOWED_KEYS)})")
    task = entry.get("task")
    if not isinstance(task, str) or not task:
        raise BeatConfigError("needs a task name")
    if "schedule" not in entry:
        raise BeatConfigError("needs a schedule")
    args = entry.get("args", [])
    kwargs = entry.get("kwargs", {})
    if not isinstance(args, (list, tuple)) or not isinstance(kwargs, dict):
        raise BeatConfigError("args must be a list and kwargs a mapping")
    out: dict[str, Any] = {"task": task, "schedule": parse_schedule(entry["schedule"]), "args": tuple(args),
                           "kwargs": dict(kwargs)}
    if entry.get("options"):
        out["options"] = dict(entry["options"])
    return out
