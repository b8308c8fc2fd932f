from __future__ import annotations

import pytest

from commerce.cart import services as cart
from commerce.db import Database
from commerce.errors import InvalidInput
from commerce.inventory.errors import OutOfStock, PurchaseLimitExceeded, SkuNotFound, SkuUnavailable
from tests.integration.orders.shop import make_sku

BUYER = "o-cart-user"


class TestCartEditing:
    def test_adding_twice_merges_into_one_line(self, db: Database) -> None:
        sku = make_sku(db, price_fen=1500, stock=10)
        with db.uow() as uow:
            cart.add_item(uow, BUYER, sku, 1)
            view = cart.add_item(uow, BUYER, sku, 2)
            uow.commit()
        assert [(ln.sku_id, ln.quantity, ln.subtotal_fen) for ln in view.lines] == [(sku, 3, 4500)]
        assert (view.goods_fen, view.count) == (4500, 3)

    def test_cart_persists_across_units_of_work(self, db: Database) -> None:
        sku = make_sku(db)
        with db.uow() as uow:
            cart.add_item(uow, BUYER, sku, 2)
            uow.commit()
        with db.uow() as uow:
            assert cart.view_cart(uow, BUYER).count == 2

    def test_adding_with_commit_keeps_the_line_for_new_and_known_customers(self, db: Database) -> None:
        sku = make_sku(db, price_fen=1500, stock=10, purchase_limit=5)
        with db.uow() as uow:  # first contact: the customer is created in the same commit
            assert cart.add_item(uow, BUYER, sku, 2, commit=True).count == 2
        with db.uow() as uow:  # known customer (PostgreSQL: autocommitted statements)
            view = cart.add_item(uow, BUYER, sku, 1, commit=True)
        assert [(ln.sku_id, ln.quantity, ln.subtotal_fen) for ln in view.lines] == [(sku, 3, 4500)]
        with db.uow() as uow, pytest.raises(PurchaseLimitExceeded):
            cart.add_item(uow, BUYER, sku, 3, commit=True)
        with db.uow() as uow, pytest.raises(OutOfStock):
            cart.add_item(uow, BUYER, sku, 11, commit=True)
        with db.uow() as uow:
            assert cart.view_cart(uow, BUYER).count == 3

    def test_set_quantity_changes_and_zero_removes(self, db: Database) -> None:
        a = make_sku(db, "A", "面膜")
        b = make_sku(db, "B", "爽肤水")
        with db.uow() as uow:
            cart.add_item(uow, BUYER, a)
            cart.add_item(uow, BUYER, b)
            assert cart.set_quantity(uow, BUYER, a, 5).lines[0].quantity == 5
            view = cart.set_quantity(uow, BUYER, a, 0)
        assert [ln.sku_id for ln in view.lines] == [b]

    def test_remove_and_clear(self, db: Database) -> None:
        a = make_sku(db, "A", "面膜")
        b = make_sku(db, "B", "爽肤水")
        with db.uow() as uow:
            cart.add_item(uow, BUYER, a)
            cart.add_item(uow, BUYER, b)
            assert [ln.sku_id for ln in cart.remove_item(uow, BUYER, a).lines] == [b]
            cart.clear(uow, BUYER)
            assert cart.view_cart(uow, BUYER).is_empty

    def test_member_sees_member_price(self, db: Database) -> None:
        from commerce.customers import services as customers

        sku = make_sku(db, price_fen=1000, member_price_fen=800)
        with db.uow() as uow:
            customers.get_or_create(uow, BUYER).member_level = 2
            assert cart.add_item(uow, BUYER, sku).lines[0].unit_price_fen == 800

    def test_line_that_went_off_shelf_is_shown_unavailable_and_not_counted(self, db: Database) -> None:
        from commerce.catalog.model import Sku

        sku = make_sku(db, price_fen=1000)
        with db.uow() as uow:
            cart.add_item(uow, BUYER, sku)
            uow.commit()
        with db.uow() as uow:
            row = uow.session.get(Sku, sku)
            assert row is not None
            row.on_shelf = False
            uow.commit()
        with db.uow() as uow:
            view = cart.view_cart(uow, BUYER)
        assert view.unavailable and view.goods_fen == 0


class TestCartRefusals:
    def test_off_shelf_sku_cannot_be_added(self, db: Database) -> None:
        sku = make_sku(db, on_shelf=False)
        with db.uow() as uow, pytest.raises(SkuUnavailable):
            cart.add_item(uow, BUYER, sku)

    def test_more_than_in_stock_cannot_be_added(self, db: Database) -> None:
        sku = make_sku(db, stock=2)
        with db.uow() as uow:
            cart.add_item(uow, BUYER, sku, 2)
            with pytest.raises(OutOfStock) as err:
                cart.add_item(uow, BUYER, sku, 1)
        assert (err.value.requested, err.value.available) == (3, 2)

    def test_purchase_limit_applies_to_the_cart(self, db: Database) -> None:
        sku = make_sku(db, purchase_limit=2)
        with db.uow() as uow, pytest.raises(PurchaseLimitExceeded):
            cart.add_item(uow, BUYER, sku, 3)

    def test_unknown_sku_and_bad_quantities_are_refused(self, db: Database) -> None:
        sku = make_sku(db)
        with db.uow() as uow:
            with pytest.raises(SkuNotFound):
                cart.add_item(uow, BUYER, 424242)
            for qty in (0, -3, 1000):
                with pytest.raises(InvalidInput):
                    cart.add_item(uow, BUYER, sku, qty)
            with pytest.raises(InvalidInput):
                cart.set_quantity(uow, BUYER, sku, -1)
            assert cart.view_cart(uow, BUYER).is_empty
