"""The PostgreSQL checkout fast path writes raw SQL: it must keep up with the models and fail like the ORM."""

from __future__ import annotations

from sqlalchemy import Column, Table

from commerce.orders import fastpath, fastpath_sql
from commerce.orders.model import Order, OrderLine


def _must_be_written(table: Table) -> set[str]:
    """Columns an INSERT that names only some columns would get wrong: NOT NULL or with a default."""
    columns: list[Column[object]] = [c for c in table.columns if c.key != "id"]
    return {c.key for c in columns if not c.nullable or c.default is not None or c.server_default is not None}


def test_the_fast_path_order_insert_names_every_required_order_column() -> None:
    assert _must_be_written(Order.__table__) <= set(fastpath_sql.ORDER_COLUMNS)  # type: ignore[arg-type]
    assert set(fastpath_sql.ORDER_COLUMNS) <= set(Order.__table__.columns.keys())


def test_the_fast_path_line_insert_names_every_required_line_column() -> None:
    assert _must_be_written(OrderLine.__table__) <= set(fastpath_sql.LINE_COLUMNS)  # type: ignore[arg-type]
    assert set(fastpath_sql.LINE_COLUMNS) <= set(OrderLine.__table__.columns.keys())


def test_the_idempotency_key_constraint_is_found_by_name() -> None:
    assert fastpath.KEY_CONSTRAINT == "uq_orders_customer_id_idempotency_key"


def test_database_errors_from_the_fast_path_surface_as_sqlalchemy_errors() -> None:
    import psycopg
    from sqlalchemy import create_engine
    from sqlalchemy.exc import IntegrityError

    engine = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")  # never connects
    driver = fastpath.Driver(raw=None, engine=engine)
    wrapped = fastpath._as_sqlalchemy_error(driver, psycopg.errors.UniqueViolation("duplicate"), "INSERT …")
    assert isinstance(wrapped, IntegrityError) and "duplicate" in str(wrapped.orig)
    plain = ValueError("not from the database")
    assert fastpath._as_sqlalchemy_error(driver, plain, "SELECT 1") is plain
