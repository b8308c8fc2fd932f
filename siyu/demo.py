"""Demo preparation: migrate, seed the demo shop on first run; where the running demo listens.

`siyu demo --port P` serves the sandbox (WeChat, WeChat Pay, transfer-bills imitations) at
`http://127.0.0.1:P`, and keeps that address in `{data_dir}/demo-base-url`, so that CLI
commands run against the same data dir (`siyu payout approve`, `siyu payout reconcile`, …)
call that demo's sandbox rather than the configured default port.  Like the demo clock,
only demo mode reads it, and `SIYU_PUBLIC_BASE_URL` still wins.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from siyu.container import Container
    from siyu.settings import Settings

log = logging.getLogger("siyu.demo")


def prepare_demo(c: Container) -> None:
    from siyu.dbsetup import upgrade

    upgrade(c.settings.database_url)
    try:
        from siyu.seed import seed_demo_shop
    except ModuleNotFoundError:
        log.warning("demo seed not available yet")
        return
    seed_demo_shop(c)


BASE_URL_FILE = "demo-base-url"


def record_base_url(data_dir: Path, url: str) -> None:
    path = data_dir.resolve() / BASE_URL_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(url + "\n")


def with_recorded_base_url(settings: Settings) -> Settings:
    """Demo mode without SIYU_PUBLIC_BASE_URL: the address the demo last started on, if any."""
    if settings.mode != "demo" or os.environ.get("SIYU_PUBLIC_BASE_URL"):
        return settings
    try:
        url = (settings.data_dir.resolve() / BASE_URL_FILE).read_text().strip()
    except OSError:
        return settings
    return settings.model_copy(update={"public_base_url": url}) if url else settings
