"""The Alembic migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

import commerce.models  # noqa: F401
from commerce.db import Base, make_engine
from siyu.dbsetup import upgrade
from tests.conftest import PG_ADMIN_URL


@pytest.fixture
def fresh_pg_url() -> Iterator[str]:
    name = f"siyu_mig_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _diff(url: str) -> list[object]:
    engine = make_engine(url)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    engine.dispose()
    return diff


def test_migrations_match_the_models_on_postgresql(fresh_pg_url: str) -> None:
    upgrade(fresh_pg_url)
    assert _diff(fresh_pg_url) == []


def test_migrations_run_on_sqlite_and_are_idempotent(tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/m.db"
    upgrade(url)
    upgrade(url)  # running twice is a no-op
    tables = set(Base.metadata.tables)
    engine = make_engine(url)
    with engine.connect() as conn:
        names = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
    engine.dispose()
    assert tables <= names
