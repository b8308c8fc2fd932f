"""Pooled PostgreSQL connections: pinged after sitting idle, not on every checkout."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from commerce.db import Database, make_engine


def _kill_pooled_backend(database: Database, admin_url: str) -> None:
    """Terminate the server side of the (single) pooled connection, as a server restart would."""
    with database.engine.connect() as conn:
        pid = conn.connection.driver_connection.info.backend_pid  # type: ignore[union-attr]
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()
    time.sleep(0.1)


def _select_one(database: Database) -> int:
    with database.uow() as uow:
        return int(uow.session.execute(text("SELECT 1")).scalar_one())


class TestIdlePing:
    def test_a_connection_that_died_while_idle_is_replaced_before_use(self, pg_url: str) -> None:
        database = Database(make_engine(pg_url, pool_size=1, ping_idle_after=0.0))
        try:
            assert _select_one(database) == 1
            _kill_pooled_backend(database, pg_url)
            assert _select_one(database) == 1  # pinged on checkout, reconnected, no error
            with database.reads() as reads:
                raw = reads.psycopg_connection()
                assert raw is not None and raw.execute("SELECT 1").fetchone() == (1,)
        finally:
            database.dispose()

    def test_a_connection_in_steady_use_skips_the_ping_and_the_pool_recovers_after_a_failure(
        self, pg_url: str
    ) -> None:
        database = Database(make_engine(pg_url, pool_size=1, ping_idle_after=3600.0))
        try:
            assert _select_one(database) == 1
            _kill_pooled_backend(database, pg_url)
            with pytest.raises(OperationalError):  # no ping: the first use finds out
                _select_one(database)
            assert _select_one(database) == 1  # the pool was invalidated; a fresh connection works
        finally:
            database.dispose()
