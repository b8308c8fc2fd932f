"""Catalog services others code against: detail, categories, vocabulary, shelf and stock writes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from commerce.catalog.drafts import ProductDraft
from commerce.catalog.errors import (
    InvalidProduct,
    ProductNotFound,
    ProductOffShelf,
    SkuBelongsToOtherProduct,
    SkuNotFound,
    StockWouldGoNegative,
)
from commerce.catalog.model import Product, ShelfEvent
from commerce.catalog.services import (
    adjust_stock,
    list_categories,
    product_by_code,
    product_detail,
    search_products,
    set_shelf,
    upsert_product,
    vocabulary,
)
from commerce.db import Database, UnitOfWork
from tests.integration.catalog.sample_catalog import seed_sample, sku


@pytest.fixture
def shop(db: Database) -> Database:
    seed_sample(db)
    return db


class TestDetail:
    def test_detail_by_id_and_by_code_agree(self, shop: Database) -> None:
        with shop.uow() as uow:
            by_code = product_by_code(uow, "ORANGE")
            assert product_detail(uow, by_code.id) == by_code

    def test_unknown_product_is_not_found(self, shop: Database) -> None:
        with shop.uow() as uow, pytest.raises(ProductNotFound):
            product_detail(uow, 999_999)
        with shop.uow() as uow, pytest.raises(ProductNotFound):
            product_by_code(uow, "NOPE")

    def test_off_shelf_product_detail_is_refused_with_its_name(self, shop: Database) -> None:
        with shop.uow() as uow, pytest.raises(ProductOffShelf) as caught:
            product_by_code(uow, "ICE")
        assert caught.value.name == "冰糖橙"


class TestShelf:
    def test_shelf_changes_are_recorded_once_with_actor_and_reason(self, shop: Database) -> None:
        for _ in range(2):
            with shop.uow() as uow:
                set_shelf(uow, "BLOOD", False, actor="owner", reason="断货")
                uow.commit()
        with shop.uow() as uow:
            events = [(e.on_shelf, e.actor, e.reason) for e in uow.session.scalars(
                select(ShelfEvent).where(ShelfEvent.product_id == product_by_code_id(uow, "BLOOD"))
                .order_by(ShelfEvent.id))]
        assert events == [(True, "test", "created"), (False, "owner", "断货")]

    def test_putting_a_product_back_on_shelf_shows_it_again(self, shop: Database) -> None:
        with shop.uow() as uow:
            set_shelf(uow, "ICE", True, actor="owner")
            uow.commit()
        with shop.uow() as uow:
            assert search_products(uow, "冰糖橙")[0].code == "ICE"

    def test_unknown_product_cannot_be_shelved(self, shop: Database) -> None:
        with shop.uow() as uow, pytest.raises(ProductNotFound):
            set_shelf(uow, "NOPE", True, actor="owner")


def product_by_code_id(uow: UnitOfWork, code: str) -> int:
    """Off-shelf products have no consumer view, so look the id up directly."""
    return int(uow.session.scalar(select(Product.id).where(Product.code == code)) or 0)


class TestStock:
    def test_restock_and_correction_return_the_new_stock(self, shop: Database) -> None:
        with shop.uow() as uow:
            assert adjust_stock(uow, "ORANGE-10", 8, actor="owner") == 10
            assert adjust_stock(uow, "ORANGE-10", -3, actor="owner") == 7
            uow.commit()
        with shop.uow() as uow:
            assert product_by_code(uow, "ORANGE").skus[1].stock == 7

    def test_stock_never_goes_below_zero(self, shop: Database) -> None:
        with shop.uow() as uow, pytest.raises(StockWouldGoNegative) as caught:
            adjust_stock(uow, "ORANGE-10", -3, actor="owner")
        assert (caught.value.stock, caught.value.delta) == (2, -3)

    def test_unknown_sku_is_not_found(self, shop: Database) -> None:
        with shop.uow() as uow, pytest.raises(SkuNotFound):
            adjust_stock(uow, "NOPE", 1, actor="owner")


class TestWrites:
    def test_a_sku_code_cannot_move_to_another_product(self, shop: Database) -> None:
        with shop.uow() as uow, pytest.raises(SkuBelongsToOtherProduct):
            upsert_product(uow, ProductDraft("NEW", "新品", (sku("BLOOD-1", 100),)), actor="owner")

    @pytest.mark.parametrize("bad", [
        ProductDraft("X", "", (sku("X-1", 100),)),
        ProductDraft("X", "名", ()),
        ProductDraft("X", "名", (sku("X-1", 100), sku("X-1", 200, {"a": "b"}))),
        ProductDraft("X", "名", (sku("X-1", 100, original_price_fen=50),)),
        ProductDraft("X", "名", (sku("X-1", 100),), kind="lottery"),
    ])
    def test_invalid_drafts_are_refused_before_writing(self, shop: Database, bad: ProductDraft) -> None:
        with shop.uow() as uow, pytest.raises(InvalidProduct):
            upsert_product(uow, bad, actor="owner")

    def test_renaming_a_product_reindexes_it_for_search(self, shop: Database) -> None:
        with shop.uow() as uow:
            upsert_product(uow, ProductDraft("PEAR", "库尔勒香梨", (sku("PEAR-1", 4590, stock=30),),
                                             category_path="食品/水果"), actor="owner")
            uow.commit()
        with shop.uow() as uow:
            assert search_products(uow, "xiangli")[0].code == "PEAR"
            assert search_products(uow, "酥梨") == []


class TestBrowseData:
    def test_categories_come_in_tree_order_with_on_shelf_counts(self, shop: Database) -> None:
        with shop.uow() as uow:
            cats = [(c.path, c.product_count) for c in list_categories(uow)]
        assert cats == [("食品", 5), ("食品/水果", 4), ("食品/饮料", 1), ("服装", 1), ("服装/上衣", 1)]

    def test_vocabulary_lists_visible_names_aliases_categories_and_specs(self, shop: Database) -> None:
        with shop.uow() as uow:
            vocab = vocabulary(uow)
        assert {"赣南脐橙 5斤装", "赣南脐橙", "纯棉连帽卫衣"} <= set(vocab.products)
        assert "冰糖橙" not in vocab.products
        assert ("赣南脐橙", "赣南脐橙 5斤装") in vocab.aliases
        assert {"食品", "水果", "上衣"} <= set(vocab.categories)
        assert {"5斤", "10斤", "红", "XL"} <= set(vocab.specs)
