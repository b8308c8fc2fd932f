"""A unit of work that only read ends with COMMIT on PostgreSQL, so psycopg keeps its prepared
statements (a ROLLBACK makes it DEALLOCATE ALL); one that wrote and was not committed still
rolls back, whichever way it wrote."""

from __future__ import annotations

from sqlalchemy import select, text

from commerce.customers.model import Customer
from commerce.customers.services import get_or_create
from commerce.db import Database
from commerce.orders import services as orders
from tests.integration.orders.shop import make_shopper, make_sku

BUYER = "o-prepared"
DAY = "29991231"


def _prepared_on(uow_db: Database) -> int:
    with uow_db.uow() as uow:
        return int(uow.session.scalar(text("SELECT count(*) FROM pg_prepared_statements")) or 0)


def _customer_exists(db: Database, openid: str) -> bool:
    with db.uow() as uow:
        return uow.session.scalar(select(Customer.id).where(Customer.openid == openid)) is not None


def _day_exists(db: Database) -> bool:
    with db.uow() as uow:
        return uow.session.scalar(text("SELECT count(*) FROM order_sequences WHERE day = :d"), {"d": DAY}) == 1


class TestReadOnlyUnits:
    def test_a_lookup_after_a_checkout_keeps_the_checkouts_prepared_statements(self, pg_db: Database) -> None:
        db = Database.from_url(pg_db.engine.url.render_as_string(hide_password=False), pool_size=1)
        try:
            sku = make_sku(db, stock=10)
            buyer = make_shopper(db, BUYER)
            for _ in range(2):  # the first one also takes a block of order numbers on a connection of its own
                with db.uow() as uow:
                    orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=[(sku, 1)], commit=True)
            before = _prepared_on(db)
            with db.uow() as uow:  # a chat lookup: never committed
                orders.list_orders(uow, buyer.openid)
            assert before > 0 and _prepared_on(db) == before
        finally:
            db.dispose()


class TestUnitsThatWroteStillRollBack:
    def test_an_orm_write_that_is_not_committed_is_rolled_back(self, pg_db: Database) -> None:
        with pg_db.uow() as uow:
            get_or_create(uow, BUYER)
            uow.session.flush()
        assert not _customer_exists(pg_db, BUYER)

    def test_a_sql_write_that_is_not_committed_is_rolled_back(self, pg_db: Database) -> None:
        with pg_db.uow() as uow:
            uow.session.execute(text("INSERT INTO order_sequences (day, last) VALUES (:d, 1)"), {"d": DAY})
        assert not _day_exists(pg_db)

    def test_a_raw_psycopg_write_that_is_not_committed_is_rolled_back(self, pg_db: Database) -> None:
        with pg_db.uow() as uow:
            raw = uow.psycopg_connection(writes=True)
            raw.execute("INSERT INTO order_sequences (day, last) VALUES (%s, 1)", (DAY,))
        assert not _day_exists(pg_db)

    def test_a_fast_path_checkout_that_is_not_committed_is_rolled_back(self, pg_db: Database) -> None:
        sku = make_sku(pg_db, stock=10)
        buyer = make_shopper(pg_db, BUYER)
        with pg_db.uow() as uow:
            orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=[(sku, 1)])
        with pg_db.uow() as uow:
            assert orders.list_orders(uow, buyer.openid) == []

    def test_an_error_rolls_back_even_a_unit_that_only_read(self, pg_db: Database) -> None:
        try:
            with pg_db.uow() as uow:
                get_or_create(uow, BUYER)
                raise ValueError("boom")
        except ValueError:
            pass
        assert not _customer_exists(pg_db, BUYER)
