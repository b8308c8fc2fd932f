"""PostgreSQL checkout fast path: one read, one write (+ COMMIT) — two round trips per checkout.

`commerce.orders.checkout.place_order` owns the rules (validation order, pricing,
limits, idempotency, low-stock events); this module only moves data.  On
PostgreSQL with psycopg it replaces the generic ORM/Core data access with:

1. `read_facts` — ONE prepared query for the customer (consent, member level), the
   chosen address, an order already placed with this idempotency key, and every SKU
   with its product, whether it is in the cart and, for SKUs with a purchase limit
   only, the customer's purchase counter (or the cart lines for a whole-cart
   checkout).  Autocommitted when it is the unit of work's first statement.
2. `write_order` — ONE prepared statement: the order, its lines (one JSON
   parameter), the cart clean-up (only if the read saw these SKUs in the cart), the
   purchase-limit counters (only for SKUs with a limit), then the guarded decrement
   (several SKUs locked in id order).  With `commit=True` on a
   fresh unit of work it is autocommitted — the hot row is unlocked the moment the
   statement is durable, exactly like the floor's bare UPDATE; otherwise it runs in
   the caller's transaction inside a savepoint, pipelined with COMMIT if asked.
   A failure (short stock, lost idempotency race) leaves nothing of the order behind.

Raw SQL, measured to be needed (ARCHITECTURE: "only when measured to be needed").
Sequential place_order(commit=True), one process, on the shared 2-core machine
(min of 7 runs): the ORM/Core path took 3.45 ms client CPU and 5 SQLAlchemy
statements (+ BEGIN, COMMIT, ping) per checkout; Core statements cost ~0.25 ms of
client CPU each (cache key, compiled-statement setup, result metadata).  This path:
~0.65 ms client CPU and ~0.5 ms server CPU per checkout, 2 round trips plus the
pool's pre-ping.  What was measured on the way (strace, per-backend CPU):
psycopg's pipeline mode costs ~20 syscalls per round trip here and BEGIN is a round
trip of its own (hence autocommit); PostgreSQL re-planned the read on every call
(~0.2 ms server CPU, 4x executing it) until the query stopped offering constant-
foldable parameters; dumping ten one-element lists as arrays cost 32 µs vs 9 µs for
one JSON parameter.  bench/inventory.py has the throughput numbers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from commerce.catalog.model import Sku
from commerce.customers.model import Customer
from commerce.db import WROTE, UnitOfWork
from commerce.inventory import limits, stock
from commerce.orders.fastpath_sql import (
    INVALID_TEXT_REPRESENTATION,
    LIMIT_MARKER,
    LINE_FIELDS,
    READ_CART,
    READ_ITEMS,
    READ_ONE_SKU,
    WRITES,
)
from commerce.orders.model import Order
from commerce.orders.pricing import Breakdown, PricedLine
from commerce.orders.states import OrderStatus
from commerce.privacy.crypto import decrypt, encrypt

_SAVEPOINT = "checkout_write"
UNIQUE_VIOLATION = "23505"
IDLE, INERROR = "IDLE", "INERROR"  # psycopg's TransactionStatus names (commerce does not import psycopg)
KEY_CONSTRAINT = next(
    str(c.name) for c in Order.__table__.constraints
    if isinstance(c, UniqueConstraint) and "idempotency_key" in c.columns
)


@dataclass(frozen=True, slots=True)
class SkuFacts:
    """The SKU columns checkout rules read; the rules themselves are Sku's own."""

    id: int
    product_id: int
    code: str
    spec: dict[str, str]
    price_fen: int
    member_price_fen: int | None
    stock: int
    low_stock_threshold: int | None
    weight_g: int
    purchase_limit: int | None
    on_shelf: bool

    spec_text = Sku.spec_text
    unit_price_fen = Sku.unit_price_fen


@dataclass(frozen=True, slots=True)
class ProductFacts:
    id: int
    name: str
    kind: str
    on_shelf: bool


@dataclass(frozen=True, slots=True)
class BuyerFacts:
    id: int
    openid: str
    consented: bool
    member_level: int

    is_member = Customer.is_member


@dataclass(frozen=True, slots=True)
class AddressFacts:
    """Decrypted receiver snapshot (personal data: never logged)."""

    id: int
    receiver_name: str
    phone: str
    province: str
    detail: str


@dataclass(frozen=True)
class CheckoutFacts:
    buyer: BuyerFacts | None
    address: AddressFacts | None
    existing_order_id: int | None
    skus: dict[int, tuple[SkuFacts, ProductFacts]]
    bought: dict[int, int]  # SKUs with a purchase limit only
    cart: list[tuple[int, int]]  # (sku_id, quantity), oldest first; filled for whole-cart checkouts
    in_cart: bool = False  # some of these SKUs are in the customer's cart (the write then clears them)


@dataclass(frozen=True)
class WrittenOrder:
    order_id: int
    line_ids: dict[int, int]  # sku_id -> order line id
    remaining: dict[int, int]  # sku_id -> stock left


@dataclass(frozen=True)
class Driver:
    """The psycopg connection under a unit of work, and its engine (for order-number blocks)."""

    raw: Any
    engine: Engine


@contextmanager
def connection(uow: UnitOfWork, *, commit: bool) -> Iterator[Driver | None]:
    """The psycopg connection for a checkout, or None off PostgreSQL/psycopg.  A checkout that
    commits (`commit=True`) in a unit of work that has done nothing yet runs on a pooled
    connection of its own in autocommit mode — no ORM session, BEGIN or COMMIT around it;
    otherwise in the unit of work's transaction (`driver_connection`)."""
    if commit:
        with uow.autocommit_connection() as raw:
            if raw is not None:
                yield Driver(raw, uow.session.get_bind())  # type: ignore[arg-type]
                return
    yield driver_connection(uow)


def driver_connection(uow: UnitOfWork) -> Driver | None:
    """The psycopg connection under the unit of work's transaction, or None when not on PostgreSQL/psycopg."""
    conn = uow.session.connection()
    if conn.dialect.name != "postgresql" or conn.dialect.driver != "psycopg":
        return None
    uow.session.flush()  # the raw statements must see what the caller did earlier in this unit of work
    conn.info[WROTE] = True  # the write may run in this transaction: never end it with COMMIT unasked
    return Driver(conn.connection.driver_connection, conn.engine)


def read_facts(driver: Driver, openid: str, address_id: int, sku_ids: list[int] | None,
               key: str | None) -> CheckoutFacts:
    """Everything checkout reads, in one prepared query (sku_ids None = the customer's cart)."""
    raw = driver.raw
    params = {"openid": openid, "address_id": address_id, "key": key, "sku_ids": sku_ids}
    if sku_ids is None:
        sql = READ_CART
    elif len(sku_ids) == 1:
        sql, params["sku_id"] = READ_ONE_SKU, sku_ids[0]
    else:
        sql = READ_ITEMS
    try:
        if _status(raw) != IDLE:  # the caller's transaction: read what it did so far
            rows = raw.execute(sql, params, prepare=True).fetchall()
        else:
            with _autocommit(raw):  # a lone SELECT needs no BEGIN/COMMIT round trips
                rows = raw.execute(sql, params, prepare=True).fetchall()
    except Exception as exc:
        raise _as_sqlalchemy_error(driver, exc, sql) from exc
    if not rows:
        return CheckoutFacts(None, None, None, {}, {}, [])
    first = rows[0]
    buyer = BuyerFacts(first[0], openid, first[1], first[2])
    address = None if first[3] is None else AddressFacts(
        first[3], decrypt(first[4]), decrypt(first[5]), first[6], decrypt(first[7]))
    skus: dict[int, tuple[SkuFacts, ProductFacts]] = {}
    bought: dict[int, int] = {}
    cart: list[tuple[int, int]] = []
    in_cart = False
    for row in rows:
        if row[9] is None:
            continue
        skus[row[9]] = (SkuFacts(*row[9:20]), ProductFacts(row[10], row[20], row[21], row[22]))
        if row[23] is not None:
            bought[row[9]] = int(row[23])
        in_cart = in_cart or row[24]
        if row[25] is not None:
            cart.append((row[9], row[25]))
    return CheckoutFacts(buyer, address, first[8], skus, bought, cart, in_cart)


def order_values(buyer: BuyerFacts, address: AddressFacts, b: Breakdown, order_no: str, key: str | None,
                 remark: str, created: datetime, expires: datetime) -> dict[str, object]:
    """The order row (receiver encrypted with fresh nonces), keyed like ORDER_COLUMNS."""
    return {
        "order_no": order_no, "customer_id": buyer.id, "openid": buyer.openid,
        "status": OrderStatus.PENDING_PAYMENT.value, "idempotency_key": key, "goods_fen": b.goods_fen,
        "discount_fen": b.discount_fen, "points_fen": b.points_fen, "shipping_fen": b.shipping_fen,
        "payable_fen": b.payable_fen, "paid_fen": 0, "refunded_fen": 0,
        "receiver_name": encrypt(address.receiver_name), "receiver_phone": encrypt(address.phone),
        "receiver_province": address.province, "receiver_address": encrypt(address.detail),
        "remark": remark, "cancel_reason": "", "expires_at": expires, "created_at": created, "updated_at": created,
    }


_PRICED_FIELDS = tuple(c for c, _ in LINE_FIELDS if c != "limit_qty")


def _lines_json(lines: tuple[PricedLine, ...], limited: Mapping[int, tuple[int, int]]) -> str:
    return json.dumps([{"n": i, **{c: getattr(line, c) for c in _PRICED_FIELDS},
                        "limit_qty": line.quantity if line.sku_id in limited else 0} for i, line in enumerate(lines)],
                      ensure_ascii=False)


def _limits_json(limited: Mapping[int, tuple[int, int]]) -> str:
    return json.dumps([{"sku_id": sku_id, "n": n, "cap": cap} for sku_id, (n, cap) in sorted(limited.items())])


def _over_limit(exc: Exception) -> bool:
    return getattr(exc, "sqlstate", None) == INVALID_TEXT_REPRESENTATION and LIMIT_MARKER in str(exc)


def _lost_key_race(exc: Exception) -> bool:
    diag = getattr(exc, "diag", None)
    return getattr(exc, "sqlstate", None) == UNIQUE_VIOLATION and getattr(diag, "constraint_name", None) == KEY_CONSTRAINT


def write_order(uow: UnitOfWork, driver: Driver, order: Mapping[str, object], lines: tuple[PricedLine, ...],
                quantities: Mapping[int, int], names: Mapping[int, str], *, commit: bool,
                keyed: bool, in_cart: bool, limited: Mapping[int, tuple[int, int]]) -> WrittenOrder | None:
    """Insert order + lines, drop them from the cart, count the purchases against `limited`
    {sku_id: (units, limit)}, take the stock — one statement — and COMMIT if asked.

    With `commit=True` and nothing else done in this unit of work the statement runs in
    autocommit: one round trip, and the hot row is unlocked as soon as it is durable.
    Otherwise it runs in the caller's transaction inside a savepoint.  Returns None when a
    concurrent checkout with the same idempotency key won; raises PurchaseLimitExceeded or
    OutOfStock.  Either way nothing of this order is written and the caller's transaction
    stays usable.
    """
    raw, params = driver.raw, {**order, "lines": _lines_json(lines, limited)}
    if limited:
        params["limits"] = _limits_json(limited)
    sql = WRITES[len(quantities) > 1, in_cart, bool(limited)]
    try:
        if commit and _status(raw) == IDLE:
            with _autocommit(raw):
                row = raw.execute(sql, params, prepare=True).fetchone()
        else:
            row = _write_in_savepoint(raw, sql, params, commit=commit)
    except Exception as exc:
        if keyed and _lost_key_race(exc):
            return None
        if _over_limit(exc):
            raise limits.exceeded(uow, _customer_id(order), limited, names) from None
        if getattr(exc, "sqlstate", None) == stock.DIVISION_BY_ZERO:
            raise stock.short_sku(uow, quantities, names) from None
        raise _as_sqlalchemy_error(driver, exc, sql) from exc
    order_id, line_ids, line_skus, _, _, taken_ids, taken_left, _ = row
    remaining = dict(zip(taken_ids, taken_left, strict=True))
    stock.sync_loaded(uow, remaining)
    return WrittenOrder(order_id, dict(zip(line_skus, line_ids, strict=True)), remaining)


def _customer_id(order: Mapping[str, object]) -> int:
    customer_id = order["customer_id"]
    assert isinstance(customer_id, int)
    return customer_id


def _write_in_savepoint(raw: Any, sql: str, params: Mapping[str, object], *, commit: bool) -> Any:
    """The write in one pipelined round trip: SAVEPOINT, statement, RELEASE (and COMMIT)."""
    try:
        with raw.pipeline():
            raw.execute(f"SAVEPOINT {_SAVEPOINT}")
            cur = raw.cursor()
            cur.execute(sql, params, prepare=True)
            raw.execute(f"RELEASE SAVEPOINT {_SAVEPOINT}")
            if commit:
                raw.commit()
    except Exception:
        if _status(raw) == INERROR:
            raw.execute(f"ROLLBACK TO SAVEPOINT {_SAVEPOINT}")
        raise
    return cur.fetchone()


def _as_sqlalchemy_error(driver: Driver, exc: Exception, sql: str) -> Exception:
    """Database errors surface as SQLAlchemy's (IntegrityError, OperationalError…), like the generic path's."""
    dbapi_error = driver.engine.dialect.loaded_dbapi.Error
    if not isinstance(exc, dbapi_error):
        return exc
    return DBAPIError.instance(sql, None, exc, dbapi_error, hide_parameters=True, dialect=driver.engine.dialect)


def _status(raw: Any) -> str:
    return str(raw.info.transaction_status.name)


@contextmanager
def _autocommit(raw: Any) -> Iterator[None]:
    if raw.autocommit:  # a connection of its own (`connection`)
        yield
        return
    raw.autocommit = True
    try:
        yield
    finally:
        raw.autocommit = False
