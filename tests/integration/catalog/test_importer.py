"""Spreadsheet import on PostgreSQL and SQLite: happy paths, every bad-row case, idempotent re-import."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from commerce.catalog.importer import ImportReport, import_file
from commerce.catalog.model import Category, Product, ShelfEvent, Sku
from commerce.catalog.services import product_by_code, search_products
from commerce.db import Database
from tests.integration.catalog.sheets import (
    HOODIE_RED_L,
    HOODIE_RED_XL,
    ORANGE_5,
    ORANGE_10,
    good_rows,
    write_csv,
    write_xlsx,
)


def run(db: Database, path: Path) -> ImportReport:
    return import_file(db.uow, path, data_dir=path.parent / "data")


def count(db: Database, model: type) -> int:
    with db.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def sku(db: Database, code: str) -> tuple[int, int | None, int] | None:
    """(price_fen, member_price_fen, stock) of a SKU, or None."""
    with db.uow() as uow:
        found = uow.session.scalar(select(Sku).where(Sku.code == code))
        return (found.price_fen, found.member_price_fen, found.stock) if found else None


def errors_by_row(report: ImportReport) -> dict[int, str]:
    return {e.row: e.reason for e in report.errors}


class TestHappyPath:
    def test_csv_import_makes_products_searchable(self, db: Database, tmp_path: Path) -> None:
        report = run(db, write_csv(tmp_path / "goods.csv", good_rows()))
        assert report.ok and report.rows_imported == 4
        assert (report.products_created, report.skus_created) == (2, 4)
        with db.uow() as uow:
            assert search_products(uow, "橙")[0].name == "赣南脐橙"
            assert search_products(uow, "chengzi")[0].name == "赣南脐橙"
            orange = product_by_code(uow, "GN-ORANGE")
        assert [(s.spec, s.price_fen, s.member_price_fen, s.stock) for s in orange.skus] == [
            ({"规格": "5斤"}, 3990, 3590, 100), ({"规格": "10斤"}, 6990, None, 40)]
        assert orange.category_path == "食品/水果"

    def test_category_paths_create_the_tree(self, db: Database, tmp_path: Path) -> None:
        run(db, write_csv(tmp_path / "goods.csv", good_rows()))
        with db.uow() as uow:
            paths = {c.path: (c.id, c.parent_id) for c in uow.session.scalars(select(Category))}
        assert set(paths) == {"食品", "食品/水果", "服装", "服装/上衣"}
        assert paths["食品/水果"][1] == paths["食品"][0]

    def test_xlsx_with_numeric_cells_imports_exact_fen(self, db: Database, tmp_path: Path) -> None:
        report = run(db, write_xlsx(tmp_path / "goods.xlsx", good_rows()))
        assert report.ok, report.errors
        assert sku(db, "GN-ORANGE-5") == (3990, 3590, 100)

    @pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
    def test_excel_saved_csv_encodings_are_read(self, db: Database, tmp_path: Path, encoding: str) -> None:
        report = run(db, write_csv(tmp_path / "goods.csv", good_rows(), encoding=encoding))
        assert report.ok and sku(db, "HOODIE-R-XL") is not None

    def test_off_shelf_rows_import_hidden_from_shoppers(self, db: Database, tmp_path: Path) -> None:
        rows = [{**r, "on_shelf": "否"} for r in good_rows() if r["spu_code"] == "HOODIE"]
        assert run(db, write_csv(tmp_path / "goods.csv", rows)).ok
        with db.uow() as uow:
            assert search_products(uow, "卫衣") == []

    def test_local_images_are_copied_and_urls_kept(self, db: Database, tmp_path: Path) -> None:
        Image.new("RGB", (8, 8), "orange").save(tmp_path / "orange.jpg")
        rows = [{**ORANGE_5, "image": "orange.jpg"}, {**HOODIE_RED_XL, "image": "https://img.example.com/h.jpg"}]
        assert run(db, write_csv(tmp_path / "goods.csv", rows)).ok
        with db.uow() as uow:
            orange, hoodie = product_by_code(uow, "GN-ORANGE"), product_by_code(uow, "HOODIE")
        assert orange.images[0].startswith("media/products/GN-ORANGE-")
        assert (tmp_path / "data" / orange.images[0]).is_file()
        assert hoodie.images == ("https://img.example.com/h.jpg",)


class TestReimport:
    def test_importing_the_same_file_twice_changes_nothing(self, db: Database, tmp_path: Path) -> None:
        path = write_csv(tmp_path / "goods.csv", good_rows())
        run(db, path)
        before = [count(db, m) for m in (Product, Sku, Category, ShelfEvent)]
        again = run(db, path)
        assert again.ok and (again.products_created, again.products_updated, again.skus_updated) == (0, 2, 4)
        assert [count(db, m) for m in (Product, Sku, Category, ShelfEvent)] == before

    def test_reimport_updates_prices_and_stock_by_code(self, db: Database, tmp_path: Path) -> None:
        run(db, write_csv(tmp_path / "goods.csv", good_rows()))
        run(db, write_csv(tmp_path / "goods.csv", [{**ORANGE_5, "price": "36.80", "stock": "7"}]))
        assert sku(db, "GN-ORANGE-5") == (3680, 3590, 7)
        assert sku(db, "GN-ORANGE-10") is not None  # SKUs missing from the file are left alone

    def test_taking_a_product_off_shelf_by_reimport_records_history(self, db: Database, tmp_path: Path) -> None:
        run(db, write_csv(tmp_path / "goods.csv", [HOODIE_RED_XL]))
        run(db, write_csv(tmp_path / "goods.csv", [{**HOODIE_RED_XL, "on_shelf": "0"}]))
        with db.uow() as uow:
            history = [e.on_shelf for e in uow.session.scalars(select(ShelfEvent).order_by(ShelfEvent.id))]
        assert history == [True, False]


BAD_ROWS = [
    ("negative price", {"price": "-1"}, "negative"),
    ("non-numeric stock", {"stock": "很多"}, "whole number"),
    ("fractional stock", {"stock": "2.5"}, "whole number"),
    ("empty category level", {"category": "食品//水果"}, "empty level"),
    ("leading slash", {"category": "/食品"}, "leading or trailing"),
    ("trailing slash", {"category": "食品/"}, "leading or trailing"),
    ("three decimals", {"price": "12.345"}, "more than 2 decimals"),
    ("price not a number", {"price": "十块"}, "not an amount"),
    ("missing name", {"name": ""}, "name: missing"),
    ("missing sku_code", {"sku_code": ""}, "sku_code: missing"),
    ("missing price", {"price": ""}, "price: missing"),
    ("member price above price", {"member_price": "99"}, "member_price"),
    ("zero price", {"price": "0"}, "greater than 0"),
    ("bad spec", {"spec": "红色XL"}, "spec"),
    ("bad on_shelf", {"on_shelf": "maybe"}, "on_shelf"),
    ("missing image file", {"image": "nope.jpg"}, "not found"),
]


class TestBadRows:
    @pytest.mark.parametrize(("case", "change", "reason"), BAD_ROWS, ids=[c[0] for c in BAD_ROWS])
    def test_bad_row_is_reported_by_spreadsheet_row_and_good_rows_import(
        self, db: Database, tmp_path: Path, case: str, change: dict[str, str], reason: str
    ) -> None:
        rows = [dict(HOODIE_RED_XL), {**ORANGE_10, **change}, dict(HOODIE_RED_L)]
        report = run(db, write_csv(tmp_path / "goods.csv", rows))
        assert list(errors_by_row(report)) == [3]  # header is row 1, the bad row is the 2nd data row
        assert reason in errors_by_row(report)[3]
        assert report.rows_imported == 2 and sku(db, "HOODIE-R-L") is not None
        assert sku(db, "GN-ORANGE-10") is None

    def test_duplicate_sku_code_in_one_file_rejects_the_second(self, db: Database, tmp_path: Path) -> None:
        rows = [dict(ORANGE_5), dict(HOODIE_RED_XL), {**ORANGE_5, "price": "99"}]
        report = run(db, write_csv(tmp_path / "goods.csv", rows))
        assert list(errors_by_row(report)) == [4] and "first at row 2" in errors_by_row(report)[4]
        assert sku(db, "GN-ORANGE-5") == (3990, 3590, 100)

    def test_contradicting_product_cells_in_one_group_are_refused(self, db: Database, tmp_path: Path) -> None:
        rows = [dict(ORANGE_5), {**ORANGE_10, "name": "别的名字"}]
        report = run(db, write_csv(tmp_path / "goods.csv", rows))
        assert list(errors_by_row(report)) == [3] and "differs from row 2" in errors_by_row(report)[3]

    def test_two_skus_with_the_same_spec_are_refused(self, db: Database, tmp_path: Path) -> None:
        rows = [dict(HOODIE_RED_XL), {**HOODIE_RED_L, "spec": HOODIE_RED_XL["spec"]}]
        report = run(db, write_csv(tmp_path / "goods.csv", rows))
        assert list(errors_by_row(report)) == [3]

    def test_unknown_header_stops_the_import_before_writing(self, db: Database, tmp_path: Path) -> None:
        header = [*good_rows()[0].keys(), "colour"]
        report = run(db, write_csv(tmp_path / "goods.csv", good_rows(), header=header))
        assert list(errors_by_row(report)) == [1] and "colour" in errors_by_row(report)[1]
        assert count(db, Product) == 0

    def test_a_product_failing_in_the_database_is_rolled_back_whole(self, db: Database, tmp_path: Path) -> None:
        run(db, write_csv(tmp_path / "goods.csv", [HOODIE_RED_XL]))
        stolen = {**ORANGE_10, "sku_code": "HOODIE-R-XL", "spec": "规格:10斤"}
        report = run(db, write_csv(tmp_path / "goods.csv", [ORANGE_5, stolen]))
        assert sorted(errors_by_row(report)) == [2, 3]
        assert "already belongs to product HOODIE" in errors_by_row(report)[2]
        assert sku(db, "GN-ORANGE-5") is None

    def test_unreadable_file_is_reported_as_row_one(self, db: Database, tmp_path: Path) -> None:
        path = tmp_path / "goods.xlsx"
        path.write_bytes(b"not a zip")
        report = run(db, path)
        assert list(errors_by_row(report)) == [1]
