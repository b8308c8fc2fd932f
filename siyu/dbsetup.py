"""Schema management: Alembic upgrade (production/demo) and create_all (fast test setup)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

import commerce.models  # noqa: F401  (registers every table)
from commerce.db import Base, Database

MIGRATIONS = Path(__file__).resolve().parent.parent / "commerce" / "migrations"


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def create_all(db: Database) -> None:
    Base.metadata.create_all(db.engine)
