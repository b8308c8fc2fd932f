from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from commerce.db import Database
from commerce.inventory.errors import OutOfStock
from commerce.orders import services as orders
from commerce.orders.model import Order
from tests.integration.orders.shop import buy_one, make_shopper, make_sku, stock_of


@pytest.mark.parametrize("commit_inside", [False, True], ids=["caller-commits", "pipelined-commit"])
def test_twenty_concurrent_checkouts_of_the_last_unit_sell_it_exactly_once(
    pg_db: Database, commit_inside: bool
) -> None:
    sku = make_sku(pg_db, stock=1)
    buyers = [make_shopper(pg_db, f"o-buyer-{i}") for i in range(20)]
    barrier = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def checkout(i: int) -> None:
        barrier.wait()
        try:
            result = buy_one(pg_db, buyers[i], sku, commit_inside=commit_inside)
        except Exception as exc:  # noqa: BLE001 - any other failure is reported by the assertion
            result = repr(exc)
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=checkout, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok"] + ["out"] * 19
    assert stock_of(pg_db, sku) == 0
    with pg_db.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Order)) == 1


def test_concurrent_checkouts_get_distinct_order_numbers(pg_db: Database) -> None:
    sku = make_sku(pg_db, stock=100)
    buyer = make_shopper(pg_db)
    numbers: list[str] = []
    lock = threading.Lock()

    def checkout() -> None:
        for _ in range(5):
            with pg_db.uow() as uow:
                no = orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=[(sku, 1)]).order_no
                uow.commit()
            with lock:
                numbers.append(no)

    threads = [threading.Thread(target=checkout) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(numbers) == 40 and len(set(numbers)) == 40
    assert stock_of(pg_db, sku) == 60


def test_pipelined_checkout_of_too_many_units_commits_nothing(pg_db: Database) -> None:
    sku = make_sku(pg_db, stock=2)
    buyer = make_shopper(pg_db)
    with pg_db.uow() as uow, pytest.raises(OutOfStock) as err:
        orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=[(sku, 3)], commit=True)
    assert (err.value.requested, err.value.available) == (3, 2)
    assert stock_of(pg_db, sku) == 2
    with pg_db.uow() as uow:
        assert orders.list_orders(uow, buyer.openid) == []
