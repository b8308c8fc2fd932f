"""Row and header checks of the spreadsheet importer, without a database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commerce.catalog.categories import clean_path
from commerce.catalog.errors import InvalidCategoryPath
from commerce.catalog.import_rows import (
    COLUMNS,
    BadRow,
    header_problems,
    parse_fen,
    parse_on_shelf,
    parse_row,
    parse_stock,
)
from commerce.catalog.tables import TableError, cell_text, read_csv
from commerce.money import fen_to_yuan_str

ROW = {"spu_code": "P1", "name": "赣南脐橙", "category": "食品 / 水果", "subtitle": "", "description": "",
       "image": "", "sku_code": "P1-5", "spec": "规格：5斤", "price": "39.9", "member_price": "",
       "stock": "10", "on_shelf": ""}


class TestPrices:
    @given(st.integers(min_value=0, max_value=10**10))
    def test_every_two_decimal_yuan_amount_is_read_exactly(self, fen: int) -> None:
        assert parse_fen("price", fen_to_yuan_str(fen)) == fen

    @pytest.mark.parametrize("text", ["12.345", "0.001"])
    def test_three_decimals_are_refused(self, text: str) -> None:
        with pytest.raises(BadRow, match="more than 2 decimals"):
            parse_fen("price", text)

    def test_yuan_sign_and_thousands_separator_are_accepted(self) -> None:
        assert parse_fen("price", "¥1,299.00") == 129900


class TestCells:
    @pytest.mark.parametrize(("text", "stock"), [("10", 10), ("10.0", 10), ("1,000", 1000)])
    def test_stock_accepts_whole_numbers_as_spreadsheets_write_them(self, text: str, stock: int) -> None:
        assert parse_stock(text) == stock

    @pytest.mark.parametrize("text", ["abc", "2.5", "-1", ""])
    def test_stock_refuses_anything_else(self, text: str) -> None:
        with pytest.raises(BadRow):
            parse_stock(text)

    @pytest.mark.parametrize(("text", "on"), [("", True), ("1", True), ("是", True), ("TRUE", True),
                                              ("0", False), ("否", False), ("false", False)])
    def test_on_shelf_words(self, text: str, on: bool) -> None:
        assert parse_on_shelf(text) is on

    def test_excel_numbers_read_as_typed(self) -> None:
        assert [cell_text(v) for v in (10.0, 12.3, None, 7, True)] == ["10", "12.3", "", "7", "1"]


class TestRows:
    def test_a_good_row_becomes_a_sku_line(self) -> None:
        row = parse_row(2, ROW)
        assert (row.category, row.sku.spec, row.sku.price_fen, row.sku.on_shelf) == (
            "食品/水果", {"规格": "5斤"}, 3990, True)

    def test_member_price_above_price_is_refused(self) -> None:
        with pytest.raises(BadRow, match="member_price"):
            parse_row(2, {**ROW, "member_price": "40"})

    def test_missing_required_cell_names_the_column(self) -> None:
        with pytest.raises(BadRow, match="stock: missing"):
            parse_row(2, {**ROW, "stock": ""})


class TestHeader:
    def test_exact_columns_are_fine_and_optional_ones_may_be_left_out(self) -> None:
        assert header_problems(list(COLUMNS)) == []
        assert header_problems(["spu_code", "name", "sku_code", "price", "stock"]) == []

    def test_unknown_missing_and_repeated_columns_are_named(self) -> None:
        problems = " ".join(header_problems(["spu_code", "name", "name", "price", "colour"]))
        assert "colour" in problems and "sku_code" in problems and "repeated" in problems


class TestCategoryPaths:
    @pytest.mark.parametrize("bad", ["食品//水果", "/食品", "食品/", "", "a/b/c/d/e/f"])
    def test_bad_path_syntax_is_refused(self, bad: str) -> None:
        with pytest.raises(InvalidCategoryPath):
            clean_path(bad)

    def test_spaces_and_full_width_slashes_are_tidied(self) -> None:
        assert clean_path(" 食品 ／ 水果 ") == "食品/水果"


class TestCsvDecoding:
    def test_gbk_bytes_are_decoded(self) -> None:
        table = read_csv("spu_code,name\r\nP1,赣南脐橙\r\n".encode("gbk"))
        assert table.header == ["spu_code", "name"] and table.rows == [(2, ["P1", "赣南脐橙"])]

    def test_blank_lines_keep_spreadsheet_row_numbers(self) -> None:
        table = read_csv("\ufeffspu_code,name\n\nP1,x\n".encode())
        assert table.rows == [(3, ["P1", "x"])]

    def test_a_file_without_a_header_row_is_refused(self) -> None:
        with pytest.raises(TableError):
            read_csv(b"")
