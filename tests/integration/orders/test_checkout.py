from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from commerce import clock, events
from commerce.cart import services as cart
from commerce.db import Database
from commerce.errors import ConsentRequired, InvalidInput
from commerce.inventory.errors import OutOfStock, PurchaseLimitExceeded, SkuNotFound, SkuUnavailable
from commerce.orders import services as orders
from commerce.orders.errors import AddressNotFound, EmptyCheckout, OrderNotFound
from commerce.orders.states import OrderStatus
from tests.integration.orders.shop import make_shopper, make_sku, stock_of


class TestPlaceOrder:
    def test_order_snapshots_lines_reserves_stock_and_clears_the_cart(self, db: Database) -> None:
        sku = make_sku(db, price_fen=3990, stock=10)
        other = make_sku(db, "P2", "洗面奶", price_fen=5000, stock=3)
        buyer = make_shopper(db)
        with db.uow() as uow:
            cart.add_item(uow, buyer.openid, sku, 2)
            cart.add_item(uow, buyer.openid, other, 1)
            view = orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=[(sku, 2)])
            uow.commit()
        assert re.fullmatch(r"SY\d{8}\d{6}", view.order_no)
        assert view.status is OrderStatus.PENDING_PAYMENT
        assert view.goods_fen == 7980 and view.shipping_fen == 1000 and view.payable_fen == 8980
        assert [(ln.name, ln.quantity, ln.subtotal_fen, ln.paid_fen) for ln in view.lines] == [
            ("赣南脐橙", 2, 7980, 7980)
        ]
        assert view.receiver_name_masked == "张**" and view.receiver_phone_masked == "138****8000"
        assert "科技园" not in view.address_masked and view.address_masked.startswith("广东省")
        assert stock_of(db, sku) == 8
        with db.uow() as uow:
            assert [ln.sku_id for ln in cart.view_cart(uow, buyer.openid).lines] == [other]

    def test_whole_cart_checkout_uses_member_prices_and_ships_free_over_99_yuan(self, db: Database) -> None:
        sku = make_sku(db, price_fen=6000, member_price_fen=5000, stock=5)
        buyer = make_shopper(db, member=True)
        with db.uow() as uow:
            cart.add_item(uow, buyer.openid, sku, 2)
            view = orders.place_order(uow, buyer.openid, address_id=buyer.address_id)
            uow.commit()
        assert (view.goods_fen, view.shipping_fen, view.payable_fen) == (10000, 0, 10000)
        with db.uow() as uow:
            assert cart.view_cart(uow, buyer.openid).is_empty

    def test_remote_provinces_pay_more_shipping_and_never_ship_free(self, db: Database) -> None:
        sku = make_sku(db, price_fen=20000, stock=5)
        buyer = make_shopper(db, province="新疆维吾尔自治区")
        with db.uow() as uow:
            preview = orders.preview_checkout(uow, buyer.openid, items=[(sku, 1)])
        assert preview.shipping_fen == 2000 and preview.payable_fen == 22000

    def test_discount_is_spread_over_lines_and_excludes_shipping(self, db: Database) -> None:
        a = make_sku(db, "A", "面霜", price_fen=3000, stock=5)
        b = make_sku(db, "B", "精华", price_fen=1000, stock=5)
        buyer = make_shopper(db)
        with db.uow() as uow:
            view = orders.place_order(uow, buyer.openid, address_id=buyer.address_id,
                                      items=[(a, 1), (b, 1)], discount_fen=1000)
            uow.commit()
        assert [ln.paid_fen for ln in view.lines] == [2250, 750]
        assert (view.shipping_fen, view.payable_fen) == (1000, 4000 - 1000 + 1000)

    def test_same_idempotency_key_returns_the_same_order(self, db: Database) -> None:
        sku = make_sku(db, stock=5)
        buyer = make_shopper(db)
        views = []
        for _ in range(2):
            with db.uow() as uow:
                views.append(orders.place_order(uow, buyer.openid, address_id=buyer.address_id,
                                                items=[(sku, 1)], idempotency_key="msg-123"))
                uow.commit()
        assert views[0].order_no == views[1].order_no
        assert stock_of(db, sku) == 4

    def test_order_numbers_are_unique_and_sequential_within_a_day(self, db: Database) -> None:
        sku = make_sku(db, stock=50)
        buyer = make_shopper(db)
        nos = []
        for _ in range(3):
            with db.uow() as uow:
                nos.append(orders.place_order(uow, buyer.openid, address_id=buyer.address_id,
                                              items=[(sku, 1)]).order_no)
                uow.commit()
        assert len(set(nos)) == 3
        day = clock.china_now().strftime("%Y%m%d")
        assert all(n.startswith(f"SY{day}") for n in nos)
        assert [int(n[-6:]) for n in nos] == sorted(int(n[-6:]) for n in nos)

    def test_receiver_data_is_encrypted_at_rest(self, db: Database) -> None:
        sku = make_sku(db)
        buyer = make_shopper(db)
        with db.uow() as uow:
            orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=[(sku, 1)])
            uow.commit()
        with db.engine.connect() as conn:
            row = conn.execute(text("SELECT receiver_name, receiver_phone, receiver_address FROM orders")).one()
        assert all(v.startswith("v1:") for v in row)
        assert "13800138000" not in "".join(row)

    def test_crossing_the_low_stock_threshold_publishes_low_stock(self, db: Database) -> None:
        sku = make_sku(db, stock=6, low_stock_threshold=5)
        buyer = make_shopper(db)
        seen: list[events.LowStock] = []
        events.subscribe(events.LowStock, lambda _uow, e: seen.append(e))
        try:
            for _ in range(2):
                with db.uow() as uow:
                    orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=[(sku, 1)])
                    uow.commit()
        finally:
            events.clear()
        assert [(e.sku_id, e.stock, e.threshold) for e in seen] == [(sku, 5, 5)]


class TestCheckoutRefusals:
    def test_off_shelf_product_is_refused_with_a_clear_error(self, db: Database) -> None:
        sku = make_sku(db, on_shelf=False)
        buyer = make_shopper(db)
        with db.uow() as uow, pytest.raises(SkuUnavailable) as err:
            orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=[(sku, 1)])
        assert err.value.sku_id == sku and err.value.name == "赣南脐橙"
        assert stock_of(db, sku) == 10

    def test_off_shelf_sku_of_an_on_shelf_product_is_refused(self, db: Database) -> None:
        sku = make_sku(db, sku_on_shelf=False)
        buyer = make_shopper(db)
        with db.uow() as uow, pytest.raises(SkuUnavailable):
            orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=[(sku, 1)])

    def test_out_of_stock_sku_is_refused_and_nothing_is_written(self, db: Database) -> None:
        sku = make_sku(db, stock=1)
        buyer = make_shopper(db)
        with db.uow() as uow, pytest.raises(OutOfStock) as err:
            orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=[(sku, 2)])
        assert (err.value.requested, err.value.available) == (2, 1)
        with db.uow() as uow:
            assert orders.list_orders(uow, buyer.openid) == []

    def test_purchase_limit_counts_earlier_live_orders(self, db: Database) -> None:
        sku = make_sku(db, purchase_limit=2)
        buyer = make_shopper(db)
        with db.uow() as uow:
            orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=[(sku, 2)])
            uow.commit()
        with db.uow() as uow, pytest.raises(PurchaseLimitExceeded) as err:
            orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=[(sku, 1)])
        assert (err.value.limit, err.value.remaining) == (2, 0)

    def test_unknown_sku_empty_cart_and_bad_quantities_are_refused(self, db: Database) -> None:
        buyer = make_shopper(db)
        sku = make_sku(db)
        with db.uow() as uow:
            with pytest.raises(SkuNotFound):
                orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=[(999999, 1)])
            with pytest.raises(EmptyCheckout):
                orders.place_order(uow, buyer.openid, address_id=buyer.address_id)
            for qty in (0, -1, 10_000):
                with pytest.raises(InvalidInput):
                    orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=[(sku, qty)])

    def test_someone_elses_address_is_not_usable(self, db: Database) -> None:
        sku = make_sku(db)
        alice = make_shopper(db, "o-alice")
        bob = make_shopper(db, "o-bob")
        with db.uow() as uow, pytest.raises(AddressNotFound):
            orders.place_order(uow, bob.openid, address_id=alice.address_id, items=[(sku, 1)])

    def test_checkout_without_consent_is_refused(self, db: Database) -> None:
        sku = make_sku(db)
        with db.uow() as uow, pytest.raises(ConsentRequired):
            orders.place_order(uow, "o-stranger", address_id=1, items=[(sku, 1)])

    def test_another_customers_order_reads_as_not_found(self, db: Database) -> None:
        sku = make_sku(db)
        alice = make_shopper(db, "o-alice")
        with db.uow() as uow:
            no = orders.place_order(uow, alice.openid, address_id=alice.address_id, items=[(sku, 1)]).order_no
            uow.commit()
        with db.uow() as uow, pytest.raises(OrderNotFound):
            orders.get_order(uow, no, openid="o-mallory")
