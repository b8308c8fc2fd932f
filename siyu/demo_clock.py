"""Demo-only time travel that survives process restarts.

`siyu demo-time advance --days 8` moves `commerce.clock` forward and stores the
total offset in `{data_dir}/demo-clock-offset` (seconds); `boot()` loads it in
demo mode so the server, the worker and the CLI all agree on "now".
Production never reads the file and the command refuses to run there.
"""

from __future__ import annotations

from pathlib import Path

from commerce import clock

FILE_NAME = "demo-clock-offset"


def offset_file(data_dir: Path) -> Path:
    return data_dir.resolve() / FILE_NAME


def load(data_dir: Path) -> float:
    """Apply the stored offset (seconds) to the clock; 0 when there is none."""
    path = offset_file(data_dir)
    try:
        seconds = float(path.read_text().strip() or 0)
    except (FileNotFoundError, ValueError):
        return 0.0
    clock.reset()
    clock.advance(seconds=seconds)
    return seconds


def advance(data_dir: Path, *, days: float = 0, hours: float = 0) -> float:
    """Move the demo clock forward and persist the new total offset; returns it in seconds."""
    load(data_dir)
    total = clock.advance(days=days, hours=hours).total_seconds()
    path = offset_file(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{total}\n")
    return total


def reset(data_dir: Path) -> None:
    offset_file(data_dir).unlink(missing_ok=True)
    clock.reset()
