"""The demo shop seed: written once through the catalog services, searchable, with images."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import pytest
from PIL import Image

from commerce.catalog.services import (
    best_sellers,
    list_categories,
    match_sku,
    product_by_code,
    search_products,
)
from commerce.db import Database
from siyu.container import Container
from siyu.seed import seed_demo_shop
from siyu.settings import load_settings


class SeedContainer(Container):
    def __init__(self, data_dir: Path, database: Database) -> None:
        super().__init__(load_settings(data_dir=data_dir))
        self._database = database

    @cached_property
    def db(self) -> Database:
        return self._database


@pytest.fixture
def seeded(db: Database, tmp_path: Path) -> SeedContainer:
    container = SeedContainer(tmp_path / "var", db)
    assert seed_demo_shop(container) >= 30
    return container


def test_seeding_twice_writes_nothing_the_second_time(seeded: SeedContainer) -> None:
    assert seed_demo_shop(seeded) == 0


def test_six_top_level_categories_hold_every_product(seeded: SeedContainer) -> None:
    with seeded.db.uow() as uow:
        top = [c for c in list_categories(uow) if c.parent_id is None]
        total = len(search_products(uow, limit=100))
    assert [c.name for c in top] == ["农产品", "美妆护肤", "服装", "母婴", "保健品", "健身课程"]
    assert sum(c.product_count for c in top) == total >= 30


def test_navel_oranges_come_in_5_and_10_jin_and_are_found_by_pinyin(seeded: SeedContainer) -> None:
    with seeded.db.uow() as uow:
        assert search_products(uow, "橙")[0].code == "FARM-ORANGE"
        assert search_products(uow, "chengzi")[0].code == "FARM-ORANGE"
        orange = product_by_code(uow, "FARM-ORANGE")
        assert best_sellers(uow, 1)[0].code == "FARM-ORANGE"
    assert [s.spec_text for s in orange.skus] == ["5斤", "10斤"]
    assert match_sku(orange, "10斤") is orange.skus[1]


def test_clothes_have_colour_and_size_skus(seeded: SeedContainer) -> None:
    with seeded.db.uow() as uow:
        hoodie = product_by_code(uow, "CLOTH-HOODIE")
    sizes = {s.spec["尺码"] for s in hoodie.skus}
    assert sizes == {"S", "M", "L", "XL"}
    picked = match_sku(hoodie, "红色 XL")
    assert picked is not None and picked.spec == {"颜色": "红", "尺码": "XL"} and picked.stock == 2


def test_courses_and_membership_cards_are_services(seeded: SeedContainer) -> None:
    with seeded.db.uow() as uow:
        fitness = search_products(uow, category="健身课程", limit=20)
    assert len(fitness) == 5 and {p.kind for p in fitness} == {"service"}


def test_every_product_is_complete_and_priced_consistently(seeded: SeedContainer) -> None:
    with seeded.db.uow() as uow:
        products = search_products(uow, limit=100)
    for p in products:
        assert p.subtitle and p.description and 2 <= len(p.selling_points) <= 4, p.code
        for s in p.skus:
            assert s.member_price_fen is None or s.member_price_fen <= s.price_fen
            assert s.original_price_fen is None or s.original_price_fen > s.price_fen
    assert sum(1 for p in products for s in p.skus if s.stock <= 5) >= 2


def test_placeholder_images_are_real_jpegs_under_the_data_dir(seeded: SeedContainer) -> None:
    with seeded.db.uow() as uow:
        orange = product_by_code(uow, "FARM-ORANGE")
    path = seeded.data_dir / orange.images[0]
    assert orange.images == ("media/products/FARM-ORANGE.jpg",)
    with Image.open(path) as img:
        assert img.format == "JPEG" and img.size == (640, 640)
