"""Consumer search on PostgreSQL and SQLite: Chinese, pinyin, typos, filters, shelf state, ranking."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from commerce.catalog import search as search_module
from commerce.catalog.model import Sku
from commerce.catalog.services import search_products, set_shelf
from commerce.db import Database
from tests.integration.catalog.sample_catalog import seed_sample


@pytest.fixture
def shop(db: Database) -> Database:
    seed_sample(db)
    return db


def names(db: Database, query: str = "", **filters: object) -> list[str]:
    with db.uow() as uow:
        return [p.name for p in search_products(uow, query, **filters)]  # type: ignore[arg-type]


class TestChineseQueries:
    def test_one_character_finds_every_product_with_it_in_the_name(self, shop: Database) -> None:
        found = names(shop, "橙")
        assert found[:2] == ["血橙", "赣南脐橙 5斤装"]

    def test_full_pinyin_of_the_everyday_word_finds_the_navel_orange(self, shop: Database) -> None:
        assert "赣南脐橙 5斤装" in names(shop, "chengzi")

    def test_pinyin_initials_find_oranges(self, shop: Database) -> None:
        assert "赣南脐橙 5斤装" in names(shop, "cz")

    def test_pinyin_of_a_word_inside_the_name_finds_only_that_product(self, shop: Database) -> None:
        assert names(shop, "qicheng") == ["赣南脐橙 5斤装"]

    def test_homophone_typo_still_finds_the_product(self, shop: Database) -> None:
        assert names(shop, "脐澄")[0] == "赣南脐橙 5斤装"

    def test_traditional_characters_are_searched_as_simplified(self, shop: Database) -> None:
        assert names(shop, "臍橙")[0] == "赣南脐橙 5斤装"

    def test_a_chatty_sentence_is_reduced_to_its_keywords(self, shop: Database) -> None:
        assert names(shop, "我想买点卫衣")[0] == "纯棉连帽卫衣"

    def test_a_query_that_matches_nothing_returns_nothing(self, shop: Database) -> None:
        assert names(shop, "笔记本电脑") == []


class TestFilters:
    def test_price_range_keeps_products_with_a_sku_inside_it(self, shop: Database) -> None:
        assert set(names(shop, price_min_fen=3000, price_max_fen=4000)) == {"赣南脐橙 5斤装"}

    def test_max_price_alone_filters_browse(self, shop: Database) -> None:
        assert set(names(shop, price_max_fen=3000)) == {"血橙", "鲜榨果汁"}

    def test_category_name_matches_its_subtree(self, shop: Database) -> None:
        assert set(names(shop, category="食品")) == {"赣南脐橙 5斤装", "血橙", "鲜榨果汁", "烟台红富士苹果", "砀山酥梨"}

    def test_category_path_narrows_to_that_branch(self, shop: Database) -> None:
        assert "鲜榨果汁" not in names(shop, category="食品/水果")
        assert "血橙" in names(shop, "橙", category="水果")

    def test_unknown_category_finds_nothing(self, shop: Database) -> None:
        assert names(shop, category="家电") == []

    def test_limit_and_offset_page_through_results(self, shop: Database) -> None:
        everything = names(shop, limit=50)
        assert names(shop, limit=2, offset=1) == everything[1:3]


class TestShelf:
    def test_off_shelf_products_never_appear(self, shop: Database) -> None:
        assert "冰糖橙" not in names(shop, "橙")
        assert "冰糖橙" not in names(shop, "bingtangcheng")
        assert "冰糖橙" not in names(shop)

    def test_taking_a_product_off_shelf_hides_it_at_once(self, shop: Database) -> None:
        assert "血橙" in names(shop, "橙")
        with shop.uow() as uow:
            set_shelf(uow, "BLOOD", False, actor="merchant")
            uow.commit()
        assert "血橙" not in names(shop, "橙")

    def test_off_shelf_skus_are_not_offered(self, shop: Database) -> None:
        with shop.uow() as uow:
            uow.session.execute(update(Sku).where(Sku.code == "ORANGE-10").values(on_shelf=False))
            uow.commit()
        with shop.uow() as uow:
            product = search_products(uow, "脐橙")[0]
        assert [s.code for s in product.skus] == ["ORANGE-5"]


class TestRanking:
    def test_name_matches_rank_above_description_matches_even_with_fewer_sales(self, shop: Database) -> None:
        assert names(shop, "橙") == ["血橙", "赣南脐橙 5斤装", "鲜榨果汁"]

    def test_equal_relevance_and_sales_fall_back_to_sort_weight(self, shop: Database) -> None:
        assert names(shop, category="水果")[-2:] == ["砀山酥梨", "烟台红富士苹果"]

    def test_browse_orders_by_sales(self, shop: Database) -> None:
        assert names(shop, limit=3) == ["鲜榨果汁", "血橙", "赣南脐橙 5斤装"]


class TestFreshness:
    def test_stock_taken_by_a_checkout_shows_in_the_next_search(self, shop: Database) -> None:
        names(shop, "脐橙")  # warm the snapshot
        with shop.uow() as uow:
            uow.session.execute(update(Sku).where(Sku.code == "ORANGE-5").values(stock=Sku.stock - 5))
            uow.commit()
        with shop.uow() as uow:
            sku = search_products(uow, "脐橙")[0].skus[0]
        assert sku.stock == 45

    def test_views_carry_prices_member_prices_and_totals(self, shop: Database) -> None:
        with shop.uow() as uow:
            orange = search_products(uow, "脐橙")[0]
        assert (orange.min_price_fen, orange.member_min_price_fen, orange.total_stock) == (3990, 3590, 52)
        assert orange.category_path == "食品/水果" and orange.on_shelf


class TestDatabasePrefilter:
    """Big catalogs are prefiltered in the database (pg_trgm on PostgreSQL, LIKE on SQLite)."""

    @pytest.fixture(autouse=True)
    def always_prefilter(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(search_module, "PREFILTER_ABOVE", 0)

    @pytest.mark.parametrize("query", ["橙", "chengzi", "cz", "qicheng", "臍橙", "卫衣"])
    def test_prefiltered_search_finds_the_same_products(self, shop: Database, query: str) -> None:
        assert names(shop, query)

    def test_typo_outside_the_index_falls_back_to_ranking_everything(self, shop: Database) -> None:
        assert names(shop, "赣南脐澄")[0] == "赣南脐橙 5斤装"


class TestPrecision:
    def test_a_one_character_colour_inside_a_query_word_is_no_match(self, shop: Database) -> None:
        from commerce.catalog import services as catalog
        from commerce.catalog.drafts import ProductDraft, SkuDraft

        with shop.uow() as uow:
            catalog.upsert_product(uow, ProductDraft("TEA-W", "安吉白茶", category_path="食品/茶叶",
                                                     skus=(SkuDraft("TEA-W-1", 26850, {"规格": "250g"}, stock=3),)),
                                   actor="test")
            catalog.upsert_product(uow, ProductDraft("TEE-W", "纯棉T恤", category_path="服装",
                                                     skus=(SkuDraft("TEE-W-1", 5900, {"颜色": "白"}, stock=3),)),
                                   actor="test")
            uow.commit()
        assert names(shop, "白茶") == ["安吉白茶"]

    def test_a_query_matched_in_full_drops_products_matching_only_part_of_it(self, shop: Database) -> None:
        from commerce.catalog import services as catalog
        from commerce.catalog.drafts import ProductDraft, SkuDraft

        with shop.uow() as uow:
            for code, name in (("TEA-A", "安吉白茶"), ("FACE-A", "氨基酸洁面乳")):
                catalog.upsert_product(uow, ProductDraft(code, name, category_path="杂货",
                                                         skus=(SkuDraft(code + "-1", 1000, {}, stock=3),)), actor="t")
            uow.commit()
        assert names(shop, "anji白茶") == ["安吉白茶"]
