"""Demo preparation: migrate, seed the demo shop on first run."""

from __future__ import annotations

import logging

from siyu.container import Container

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
