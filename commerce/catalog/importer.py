"""`siyu catalog import FILE`: spreadsheet rows (one per SKU) → products, updated by code.

1. Read and check every row; a bad row is reported with its spreadsheet row number
   (header = row 1) and the reason, and skipped.
2. Group the good rows by `spu_code`; the product-level cells (name, category, subtitle,
   description) may be left blank on later rows of a group but must not contradict.
3. Write each product in its own transaction through `writes.upsert_product` (the same
   path the demo seed uses): a product that fails there is rolled back whole and all its
   rows are reported; the other products still import.  Re-importing a file is a no-op.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from commerce.catalog.drafts import ProductDraft
from commerce.catalog.import_rows import BadRow, ImportRow, RowError, header_problems, parse_row
from commerce.catalog.media import MediaError, check_image, store_image
from commerce.catalog.tables import Table, TableError, read_table
from commerce.catalog.writes import upsert_product
from commerce.db import UnitOfWork
from commerce.errors import CommerceError

GROUP_FIELDS = ("name", "category", "subtitle", "description")
Progress = Callable[[int, int], None]  # (rows just handled, rows in the file)


@dataclass
class ImportReport:
    rows_total: int = 0
    rows_imported: int = 0
    products_created: int = 0
    products_updated: int = 0
    skus_created: int = 0
    skus_updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def import_file(uow_factory: Callable[[], UnitOfWork], path: Path, *, data_dir: Path,
                actor: str = "import", progress: Progress | None = None) -> ImportReport:
    """Import a CSV/XLSX file; images named by path are looked up next to the file."""
    try:
        table = read_table(path)
    except (TableError, OSError) as exc:
        return ImportReport(errors=[RowError(1, str(exc))])
    return import_table(uow_factory, table, data_dir=data_dir, source_dir=path.parent,
                        actor=actor, progress=progress)


def import_table(uow_factory: Callable[[], UnitOfWork], table: Table, *, data_dir: Path, source_dir: Path,
                 actor: str = "import", progress: Progress | None = None) -> ImportReport:
    report = ImportReport(rows_total=len(table.rows))
    problems = header_problems(table.header)
    if problems:
        report.errors = [RowError(1, p) for p in problems]
        return report
    groups = group_rows(check_rows(table, source_dir, report))
    if progress and report.errors:
        progress(len(report.errors), report.rows_total)
    for rows in groups.values():
        _write_group(uow_factory, rows, data_dir, source_dir, actor, report)
        if progress:
            progress(len(rows), report.rows_total)
    report.errors.sort(key=lambda e: e.row)
    return report


def check_rows(table: Table, source_dir: Path, report: ImportReport) -> list[ImportRow]:
    good: list[ImportRow] = []
    first_row_of_sku: dict[str, int] = {}
    for number, cells in table.rows:
        values = dict(zip(table.header, cells + [""] * (len(table.header) - len(cells)), strict=False))
        try:
            row = parse_row(number, values)
            if row.sku.code in first_row_of_sku:
                raise BadRow(f"sku_code: duplicate {row.sku.code}, first at row {first_row_of_sku[row.sku.code]}"
                             f" / SKU 编码重复（首次出现在第 {first_row_of_sku[row.sku.code]} 行）")
            if row.image:
                check_image(row.image, source_dir)
        except (BadRow, MediaError) as exc:
            report.errors.append(RowError(number, str(exc), values.get("sku_code", "")))
            continue
        first_row_of_sku[row.sku.code] = number
        good.append(row)
    return good


def group_rows(rows: list[ImportRow]) -> dict[str, list[ImportRow]]:
    groups: dict[str, list[ImportRow]] = {}
    for row in rows:
        groups.setdefault(row.spu_code, []).append(row)
    return groups


def _write_group(uow_factory: Callable[[], UnitOfWork], rows: list[ImportRow], data_dir: Path,
                 source_dir: Path, actor: str, report: ImportReport) -> None:
    rows, errors = consistent_rows(rows)
    report.errors += errors
    if not rows:
        return
    try:
        draft = to_draft(rows, data_dir, source_dir)
        with uow_factory() as uow:
            result = upsert_product(uow, draft, actor=actor)
            uow.commit()
    except (CommerceError, MediaError, SQLAlchemyError, OSError) as exc:
        reason = f"product {rows[0].spu_code} not imported: {exc} / 该商品未导入"
        report.errors += [RowError(r.row, reason, r.sku.code) for r in rows]
        return
    report.rows_imported += len(rows)
    report.products_created += result.created
    report.products_updated += not result.created
    report.skus_created += result.skus_created
    report.skus_updated += result.skus_updated


def consistent_rows(rows: list[ImportRow]) -> tuple[list[ImportRow], list[RowError]]:
    """Rows whose product-level cells agree with the first non-blank value; the others are errors."""
    seen: dict[str, tuple[str, int]] = {}
    specs: dict[tuple[tuple[str, str], ...], int] = {}
    good, errors = [], []
    for row in rows:
        clash = _clash(row, seen) or _spec_clash(row, specs)
        if clash:
            errors.append(RowError(row.row, clash, row.sku.code))
            continue
        for name in GROUP_FIELDS:
            value = getattr(row, name)
            if value and name not in seen:
                seen[name] = (value, row.row)
        specs[tuple(sorted(row.sku.spec.items()))] = row.row
        good.append(row)
    return good, errors


def _clash(row: ImportRow, seen: dict[str, tuple[str, int]]) -> str:
    for name in GROUP_FIELDS:
        value = getattr(row, name)
        if value and name in seen and seen[name][0] != value:
            return (f"{name}: differs from row {seen[name][1]} for spu_code {row.spu_code}"
                    f" / 同一商品的 {name} 与第 {seen[name][1]} 行不一致")
    return ""


def _spec_clash(row: ImportRow, specs: dict[tuple[tuple[str, str], ...], int]) -> str:
    key = tuple(sorted(row.sku.spec.items()))
    if key in specs:
        return f"spec: same spec as row {specs[key]} of {row.spu_code} / 与第 {specs[key]} 行规格相同"
    return ""


def to_draft(rows: list[ImportRow], data_dir: Path, source_dir: Path) -> ProductDraft:
    first = {name: next((getattr(r, name) for r in rows if getattr(r, name)), "") for name in GROUP_FIELDS}
    images = [store_image(img, source_dir, data_dir, rows[0].spu_code)
              for img in dict.fromkeys(r.image for r in rows if r.image)]
    return ProductDraft(
        code=rows[0].spu_code, name=first["name"], skus=tuple(r.sku for r in rows),
        category_path=first["category"], subtitle=first["subtitle"], description=first["description"],
        images=tuple(images) if images else None,
    )
