"""Shared fixtures: real PostgreSQL (a private database per test run), SQLite, Redis, settings.

- `pg_db`      a `Database` on a fresh PostgreSQL database created for this run (dropped at the end);
               tables are emptied after each test.
- `sqlite_db`  a `Database` on a fresh SQLite file per test.
- `db`         parametrised over both: core tests run on PostgreSQL and SQLite.
- `redis_url`  a Redis URL with a private key prefix per test (`kv` fixture wraps it).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

import commerce.models  # noqa: F401
from commerce import clock
from commerce.db import Base, Database
from commerce.privacy.crypto import KeyRing, configure_keys

PG_ADMIN_URL = os.environ.get("SIYU_TEST_PG_ADMIN", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("SIYU_TEST_REDIS", "redis://127.0.0.1:6379/0")
TEST_KEYS = KeyRing.generate_spec("test1")


@pytest.fixture(autouse=True)
def _keys_and_clock() -> Iterator[None]:
    configure_keys(KeyRing.parse(TEST_KEYS))
    clock.reset()
    yield
    clock.reset()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """Create a private database for this test process (xdist-safe), drop it afterwards."""
    from sqlalchemy import create_engine

    name = f"siyu_t_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # pragma: no cover
        pytest.fail(f"PostgreSQL is required at {PG_ADMIN_URL}: {exc}")
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    schema_engine = create_engine(url)
    with schema_engine.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    Base.metadata.create_all(schema_engine)
    schema_engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_all(database: Database) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    if tables:
        with database.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    database = Database.from_url(pg_url, pool_size=25)
    try:
        yield database
    finally:
        _truncate_all(database)
        database.dispose()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    database = Database.from_url(f"sqlite:///{tmp_path / 'siyu.db'}")
    Base.metadata.create_all(database.engine)
    yield database
    database.dispose()


@pytest.fixture(params=["postgres", "sqlite"])
def db(request: pytest.FixtureRequest) -> Database:
    return request.getfixturevalue("pg_db" if request.param == "postgres" else "sqlite_db")


@pytest.fixture
def redis_url() -> str:
    return REDIS_URL


@pytest.fixture
def kv(redis_url: str) -> Iterator[object]:
    from bot.kv import RedisKV

    store = RedisKV(redis_url, prefix=f"siyu-test:{uuid.uuid4().hex[:10]}:")
    yield store
    client = store.client
    for key in client.scan_iter(match=store._p + "*"):
        client.delete(key)
