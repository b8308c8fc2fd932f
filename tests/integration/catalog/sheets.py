"""Spreadsheet files for import tests, written the way merchants' tools write them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from commerce.catalog.import_rows import COLUMNS

Row = dict[str, object]

ORANGE_5 = {"spu_code": "GN-ORANGE", "name": "赣南脐橙", "category": "食品/水果", "subtitle": "果园直发",
            "description": "江西赣州脐橙，皮薄多汁", "image": "", "sku_code": "GN-ORANGE-5", "spec": "规格:5斤",
            "price": "39.9", "member_price": "35.9", "stock": "100", "on_shelf": "1"}
ORANGE_10 = {**ORANGE_5, "sku_code": "GN-ORANGE-10", "spec": "规格:10斤", "price": "69.90", "member_price": "",
             "stock": "40"}
HOODIE_RED_XL = {"spu_code": "HOODIE", "name": "纯棉卫衣", "category": "服装/上衣", "subtitle": "", "description": "",
                 "image": "", "sku_code": "HOODIE-R-XL", "spec": "颜色:红;尺码:XL", "price": "129",
                 "member_price": "119", "stock": "10", "on_shelf": "是"}
HOODIE_RED_L = {**HOODIE_RED_XL, "sku_code": "HOODIE-R-L", "spec": "颜色:红;尺码:L"}


def good_rows() -> list[Row]:
    return [dict(ORANGE_5), dict(ORANGE_10), dict(HOODIE_RED_XL), dict(HOODIE_RED_L)]


def csv_bytes(rows: list[Row], header: list[str] | None = None, encoding: str = "utf-8") -> bytes:
    header = header or list(COLUMNS)
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(c, "") for c in header])
    return out.getvalue().encode(encoding)


def write_csv(path: Path, rows: list[Row], header: list[str] | None = None, encoding: str = "utf-8") -> Path:
    path.write_bytes(csv_bytes(rows, header, encoding))
    return path


def write_xlsx(path: Path, rows: list[Row]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([_as_excel(c, row.get(c, "")) for c in COLUMNS])
    wb.save(path)
    return path


def _as_excel(column: str, value: object) -> object:
    """Numbers go in as numbers, like a merchant typing into Excel."""
    if column in ("price", "member_price") and value not in ("", None):
        return float(str(value))
    if column == "stock" and str(value).isdigit():
        return int(str(value))
    return None if value == "" else value
