"""Spreadsheet files → header + rows of text cells, numbered as the merchant sees them (header = row 1).

CSV is read as UTF-8 (with or without BOM), falling back to GB18030 (a superset of GBK,
what Excel on Chinese Windows saves); XLSX through openpyxl in read-only mode (first sheet).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

ENCODINGS = ("utf-8-sig", "gb18030")


class TableError(ValueError):
    """The file as a whole cannot be read (format, encoding, no header)."""


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells)


def read_table(path: Path) -> Table:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path)
    if suffix in (".csv", ".txt", ""):
        return read_csv(path.read_bytes())
    raise TableError(f"unsupported file type {suffix!r}: use .csv or .xlsx / 仅支持 CSV 或 XLSX 文件")


def read_csv(data: bytes) -> Table:
    text = _decode(data)
    records = list(csv.reader(io.StringIO(text, newline="")))
    return _table([(i + 1, [c.strip() for c in rec]) for i, rec in enumerate(records)])


def _decode(data: bytes) -> str:
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError("file is neither UTF-8 nor GBK text / 文件编码无法识别（请用 UTF-8 或 GBK）")


def read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise TableError(f"cannot open XLSX: {exc} / 无法打开 Excel 文件") from None
    try:
        sheet = wb.worksheets[0]
        rows = [(i + 1, [cell_text(v) for v in row])
                for i, row in enumerate(sheet.iter_rows(values_only=True))]
    finally:
        wb.close()
    return _table(rows)


def cell_text(value: object) -> str:
    """An Excel cell as the text the merchant typed: 10.0 → "10", 12.3 → "12.3", None → ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _table(rows: list[tuple[int, list[str]]]) -> Table:
    rows = [(n, cells) for n, cells in rows if any(c.strip() for c in cells)] if rows else []
    if not rows or rows[0][0] != 1:
        raise TableError("the first row must be the header / 第一行必须是表头")
    header = [h.strip().lstrip("\ufeff").lower() for h in rows[0][1]]
    while header and not header[-1]:
        header.pop()
    return Table(header, rows[1:])
