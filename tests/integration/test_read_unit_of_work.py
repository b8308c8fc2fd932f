"""`db.reads()`: lookups without a transaction on PostgreSQL, the same answers as `db.uow()`."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from commerce.cart import services as cart
from commerce.customers.model import Customer
from commerce.customers.services import get_or_create
from commerce.db import Database
from tests.integration.orders.shop import make_sku

BUYER = "o-reader"


class TestReadUnitOfWork:
    def test_reads_what_is_committed_like_a_unit_of_work(self, db: Database) -> None:
        sku = make_sku(db, price_fen=1200, stock=5)
        with db.uow() as uow:
            cart.add_item(uow, BUYER, sku, 2)
            uow.commit()
        with db.reads() as reads, db.uow() as uow:
            assert cart.view_cart(reads, BUYER) == cart.view_cart(uow, BUYER)
            assert cart.view_cart(reads, BUYER).goods_fen == 2400

    def test_cannot_commit_or_write(self, db: Database) -> None:
        with db.reads() as reads:
            with pytest.raises(RuntimeError):
                reads.commit()
            with pytest.raises(RuntimeError):
                reads.psycopg_connection(writes=True)

    def test_orm_writes_through_its_session_are_rolled_back(self, db: Database) -> None:
        with db.reads() as reads:
            get_or_create(reads, BUYER)
            assert reads.session.scalar(select(Customer.id).where(Customer.openid == BUYER)) is not None
        with db.uow() as uow:
            assert uow.session.scalar(select(Customer.id).where(Customer.openid == BUYER)) is None

    def test_holds_one_pooled_connection_at_most_and_returns_it_ready_for_transactions(
        self, pg_db: Database
    ) -> None:
        pool = pg_db.engine.pool
        with pg_db.reads() as reads:
            raw = reads.psycopg_connection()
            assert raw is not None and raw.autocommit
            raw.execute("SELECT 1").fetchall()
            assert pool.checkedout() == 1  # type: ignore[attr-defined]
            reads.session.scalar(select(Customer.id).limit(1))  # the session takes over: plain goes back first
            assert pool.checkedout() == 1  # type: ignore[attr-defined]
            in_session = reads.psycopg_connection()  # from now on: the session's transaction
            assert in_session is not None and not in_session.autocommit
        assert pool.checkedout() == 0  # type: ignore[attr-defined]
        with pg_db.engine.connect() as conn:
            assert not conn.connection.driver_connection.autocommit  # type: ignore[union-attr]

    def test_a_broken_plain_connection_is_discarded_not_pooled(self, pg_db: Database) -> None:
        with pg_db.reads() as reads:
            raw = reads.psycopg_connection()
            assert raw is not None
            raw.close()
        with pg_db.reads() as reads:
            again = reads.psycopg_connection()
            assert again is not None and not again.closed
            assert again.execute("SELECT 1").fetchone() == (1,)

    def test_off_postgresql_lookups_use_the_session(self, sqlite_db: Database) -> None:
        with sqlite_db.reads() as reads:
            assert reads.psycopg_connection() is None
            assert cart.view_cart(reads, BUYER).is_empty
