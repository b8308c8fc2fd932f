"""place_order behaves the same whichever data path it takes (PostgreSQL fast path or generic ORM/Core)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from commerce import events
from commerce.cart import services as cart
from commerce.db import Database
from commerce.inventory.errors import OutOfStock
from commerce.orders import services as orders
from commerce.orders.model import Order, OrderLine
from tests.integration.orders.shop import make_shopper, make_sku, stock_of


def _count(db: Database, model: type) -> int:
    with db.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


class TestPlaceOrderView:
    @pytest.mark.parametrize("commit", [False, True], ids=["caller-commits", "commit-inside"])
    def test_the_returned_view_equals_the_order_read_back(self, db: Database, commit: bool) -> None:
        a = make_sku(db, "A", "面霜", price_fen=3000, stock=5, spec={"规格": "50ml", "颜色": "白"})
        b = make_sku(db, "B", "精华", price_fen=1000, stock=5)
        buyer = make_shopper(db)
        with db.uow() as uow:
            placed = orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=[(b, 2), (a, 1)],
                                        discount_fen=700, remark="请尽快发货", commit=commit)
            if not commit:
                uow.commit()
        with db.uow() as uow:
            stored = orders.get_order(uow, placed.order_no, openid=buyer.openid)
        assert placed == stored
        assert [(ln.sku_id, ln.spec_text) for ln in placed.lines] == [(b, "标准"), (a, "50ml 白")]


class TestPlaceOrderFromTheCart:
    def test_whole_cart_checkout_committed_inside_orders_the_cart_oldest_line_first(self, db: Database) -> None:
        a = make_sku(db, "A", "面霜", stock=5)
        b = make_sku(db, "B", "精华", stock=5)
        buyer = make_shopper(db)
        with db.uow() as uow:
            cart.add_item(uow, buyer.openid, b, 2)
            cart.add_item(uow, buyer.openid, a, 1)
            uow.commit()
        with db.uow() as uow:
            view = orders.place_order(uow, buyer.openid, address_id=buyer.address_id, commit=True)
        assert [(ln.sku_id, ln.quantity) for ln in view.lines] == [(b, 2), (a, 1)]
        assert (stock_of(db, a), stock_of(db, b)) == (4, 3)
        with db.uow() as uow:
            assert cart.view_cart(uow, buyer.openid).is_empty


class TestPlaceOrderStock:
    def test_one_short_sku_of_several_commits_nothing_and_names_that_sku(self, db: Database) -> None:
        plenty = make_sku(db, "A", "面霜", stock=5)
        short = make_sku(db, "B", "精华", stock=1)
        buyer = make_shopper(db)
        with db.uow() as uow, pytest.raises(OutOfStock) as err:
            orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=[(plenty, 1), (short, 2)],
                               commit=True)
        assert (err.value.sku_id, err.value.requested, err.value.available) == (short, 2, 1)
        assert (stock_of(db, plenty), stock_of(db, short)) == (5, 1)
        assert _count(db, Order) == 0 and _count(db, OrderLine) == 0

    def test_out_of_stock_leaves_the_callers_unit_of_work_usable(self, db: Database) -> None:
        sku = make_sku(db, stock=1)
        buyer = make_shopper(db)
        with db.uow() as uow:
            with pytest.raises(OutOfStock):
                orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=[(sku, 2)])
            assert orders.preview_checkout(uow, buyer.openid, items=[(sku, 1)]).goods_fen == 1000

    def test_low_stock_is_published_once_when_a_committed_checkout_crosses_the_threshold(
        self, db: Database
    ) -> None:
        sku = make_sku(db, stock=7, low_stock_threshold=5)
        buyer = make_shopper(db)
        seen: list[events.LowStock] = []
        events.subscribe(events.LowStock, lambda _uow, e: seen.append(e))
        try:
            for _ in range(3):
                with db.uow() as uow:
                    orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=[(sku, 1)],
                                       commit=True)
        finally:
            events.clear()
        assert [(e.sku_id, e.stock, e.threshold) for e in seen] == [(sku, 5, 5)]


@pytest.mark.parametrize("commit", [False, True], ids=["caller-commits", "commit-inside"])
def test_concurrent_checkouts_with_one_idempotency_key_make_one_order(pg_db: Database, commit: bool) -> None:
    sku = make_sku(pg_db, stock=10)
    buyer = make_shopper(pg_db)
    barrier = threading.Barrier(8)
    numbers: list[str] = []
    lock = threading.Lock()

    def checkout() -> None:
        barrier.wait()
        with pg_db.uow() as uow:
            view = orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=[(sku, 1)],
                                      idempotency_key="msg-race", commit=commit)
            if not commit:
                uow.commit()
        with lock:
            numbers.append(view.order_no)

    threads = [threading.Thread(target=checkout) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(numbers) == 8 and len(set(numbers)) == 1
    assert stock_of(pg_db, sku) == 9 and _count(pg_db, Order) == 1


@pytest.mark.parametrize("commit", [False, True], ids=["caller-commits", "commit-inside"])
def test_concurrent_multi_sku_checkouts_in_opposite_orders_do_not_deadlock(pg_db: Database, commit: bool) -> None:
    a = make_sku(pg_db, "A", "面霜", stock=400)
    b = make_sku(pg_db, "B", "精华", stock=400)
    buyers = [make_shopper(pg_db, f"o-buyer-{i}") for i in range(12)]
    barrier = threading.Barrier(12)
    failures: list[str] = []

    def checkout(i: int) -> None:
        items = [(a, 1), (b, 1)] if i % 2 else [(b, 1), (a, 1)]
        barrier.wait()
        try:
            for _ in range(25):
                with pg_db.uow() as uow:
                    orders.place_order(uow, buyers[i].openid, address_id=buyers[i].address_id, items=items,
                                       commit=commit)
                    if not commit:
                        uow.commit()
        except Exception as exc:  # noqa: BLE001 - a deadlock is reported by the assertion
            failures.append(repr(exc))

    threads = [threading.Thread(target=checkout, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert (stock_of(pg_db, a), stock_of(pg_db, b)) == (100, 100)
    assert _count(pg_db, Order) == 300 and _count(pg_db, OrderLine) == 600
