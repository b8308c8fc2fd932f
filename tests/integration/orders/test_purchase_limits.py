"""Per-customer purchase limits (限购) are exact under concurrency, on PostgreSQL and SQLite, and
units come back to the customer when their order is cancelled, expires or is refunded."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from commerce import clock
from commerce.db import Database
from commerce.inventory.errors import OutOfStock, PurchaseLimitExceeded
from commerce.inventory.model import PurchaseCounter
from commerce.orders import services as orders
from commerce.orders.model import OrderLine
from tests.integration.orders.shop import Shopper, make_shopper, make_sku, stock_of


def _buy(db: Database, buyer: Shopper, sku: int, qty: int = 1, *, commit_inside: bool = False) -> str:
    with db.uow() as uow:
        view = orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=[(sku, qty)],
                                  commit=commit_inside)
        if not commit_inside:
            uow.commit()
        return view.order_no


def _counted(db: Database, buyer: Shopper, sku: int) -> int:
    with db.uow() as uow:
        return int(uow.session.scalar(select(PurchaseCounter.bought).where(PurchaseCounter.sku_id == sku)) or 0)


def _concurrently(n: int, work: object) -> list[str]:
    barrier = threading.Barrier(n)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run() -> None:
        barrier.wait()
        try:
            work()  # type: ignore[operator]
            result = "ok"
        except PurchaseLimitExceeded as exc:
            result = f"limit {exc.limit} remaining {exc.remaining}" if exc.remaining == 0 else "limit"
        except Exception as exc:  # noqa: BLE001 - any other failure shows in the assertion
            result = repr(exc)
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


class TestConcurrentCheckoutsOfOneCustomer:
    @pytest.mark.parametrize("commit_inside", [False, True], ids=["caller-commits", "pipelined-commit"])
    def test_ten_simultaneous_checkouts_buy_exactly_the_limit(self, db: Database, commit_inside: bool) -> None:
        sku = make_sku(db, stock=50, purchase_limit=2)
        buyer = make_shopper(db)
        outcomes = _concurrently(10, lambda: _buy(db, buyer, sku, commit_inside=commit_inside))
        assert outcomes == ["limit 2 remaining 0"] * 8 + ["ok"] * 2
        assert stock_of(db, sku) == 48
        assert _counted(db, buyer, sku) == 2
        with db.uow() as uow:
            assert len(orders.list_orders(uow, buyer.openid, limit=50)) == 2

    def test_simultaneous_checkouts_of_a_limited_and_a_free_sku_together(self, db: Database) -> None:
        free = make_sku(db, "P1", stock=50)
        capped = make_sku(db, "P2", "限购款", stock=50, purchase_limit=2)
        buyer = make_shopper(db)

        def both() -> None:
            with db.uow() as uow:
                orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=[(free, 1), (capped, 1)],
                                   commit=True)

        assert _concurrently(6, both) == ["limit 2 remaining 0"] * 4 + ["ok"] * 2
        assert (stock_of(db, free), stock_of(db, capped)) == (48, 48)

    def test_other_customers_are_not_held_back_by_someone_elses_limit(self, pg_db: Database) -> None:
        sku = make_sku(pg_db, stock=50, purchase_limit=1)
        buyers = [make_shopper(pg_db, f"o-buyer-{i}") for i in range(5)]
        queue = list(buyers)
        lock = threading.Lock()

        def one() -> None:
            with lock:
                buyer = queue.pop()
            _buy(pg_db, buyer, sku)

        assert _concurrently(5, one) == ["ok"] * 5
        assert stock_of(pg_db, sku) == 45


class TestCountedUnitsComeBack:
    def test_cancelling_frees_the_limit_once(self, db: Database) -> None:
        sku = make_sku(db, stock=10, purchase_limit=2)
        buyer = make_shopper(db)
        order_no = _buy(db, buyer, sku, 2)
        with db.uow() as uow, pytest.raises(PurchaseLimitExceeded):
            orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=[(sku, 1)])
        for _ in range(2):  # the second cancel is an idempotent repeat: nothing comes back twice
            with db.uow() as uow:
                orders.cancel_order(uow, order_no, openid=buyer.openid, reason="不要了")
                uow.commit()
        assert _counted(db, buyer, sku) == 0 and stock_of(db, sku) == 10
        _buy(db, buyer, sku, 2)
        assert _counted(db, buyer, sku) == 2 and stock_of(db, sku) == 8

    def test_an_expired_unpaid_order_frees_the_limit(self, db: Database) -> None:
        sku = make_sku(db, stock=10, purchase_limit=1)
        buyer = make_shopper(db)
        _buy(db, buyer, sku)
        clock.advance(hours=1)
        with db.uow() as uow:
            assert orders.expire_unpaid(uow) == 1
            uow.commit()
        assert _counted(db, buyer, sku) == 0 and stock_of(db, sku) == 10

    def test_units_bought_while_the_sku_had_no_limit_are_not_counted(self, db: Database) -> None:
        sku = make_sku(db, stock=10)
        buyer = make_shopper(db)
        order_no = _buy(db, buyer, sku, 3)
        with db.uow() as uow:
            line = uow.session.scalar(select(OrderLine).where(OrderLine.sku_id == sku))
            assert line is not None and line.limit_qty == 0
            orders.cancel_order(uow, order_no, openid=buyer.openid, reason="不要了")
            uow.commit()
        assert _counted(db, buyer, sku) == 0 and stock_of(db, sku) == 10


def test_a_limited_checkout_that_runs_out_of_stock_counts_nothing(db: Database) -> None:
    sku = make_sku(db, stock=1, purchase_limit=5)
    buyer = make_shopper(db)
    with db.uow() as uow, pytest.raises(OutOfStock):
        orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=[(sku, 2)])
    assert _counted(db, buyer, sku) == 0
    _buy(db, buyer, sku, 1)
    assert _counted(db, buyer, sku) == 1 and stock_of(db, sku) == 0


def test_a_checkout_over_the_limit_names_what_is_left(pg_db: Database) -> None:
    sku = make_sku(pg_db, stock=10, purchase_limit=3)
    buyer = make_shopper(pg_db)
    _buy(pg_db, buyer, sku, 2, commit_inside=True)
    with pg_db.uow() as uow, pytest.raises(PurchaseLimitExceeded) as err:
        orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=[(sku, 2)], commit=True)
    assert (err.value.limit, err.value.already, err.value.remaining) == (3, 2, 1)
    assert stock_of(pg_db, sku) == 8 and _counted(pg_db, buyer, sku) == 2


def test_a_checkout_of_several_skus_counts_only_the_limited_ones_and_fails_whole(db: Database) -> None:
    free = make_sku(db, "P1", stock=10)
    capped = make_sku(db, "P2", "限购款", stock=10, purchase_limit=2)
    buyer = make_shopper(db)
    with db.uow() as uow:
        orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=[(free, 3), (capped, 2)],
                           commit=True)
    assert _counted(db, buyer, capped) == 2 and _counted(db, buyer, free) == 0
    with db.uow() as uow, pytest.raises(PurchaseLimitExceeded) as err:
        orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=[(free, 1), (capped, 1)],
                           commit=True)
    assert err.value.sku_id == capped
    assert (stock_of(db, free), stock_of(db, capped)) == (7, 8)
    with db.uow() as uow:
        assert len(orders.list_orders(uow, buyer.openid)) == 1
