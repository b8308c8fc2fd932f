"""`siyu catalog import FILE` (CSV/XLSX, one row per SKU) and `siyu catalog search QUERY`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from commerce.money import fen_to_yuan_str

if TYPE_CHECKING:  # the catalog pulls in jieba/pypinyin: import it only when a command runs
    from commerce.catalog.importer import ImportReport
    from siyu.container import Container

app = typer.Typer(help="商品 / catalog: import products, try a search", no_args_is_help=True)
console = Console()


def _container() -> Container:
    from siyu.container import boot

    container = boot()
    ensure_schema(container)
    return container


def ensure_schema(container: Container) -> None:
    """Make sure the tables exist before writing.

    The lead owns migrations (`siyu db upgrade`); until the initial migration exists an
    empty database gets `create_all` so the command works on a fresh data directory.
    """
    from sqlalchemy import inspect

    from siyu import dbsetup

    if inspect(container.db.engine).has_table("products"):
        return
    if any(dbsetup.MIGRATIONS.joinpath("versions").glob("*.py")):
        dbsetup.upgrade(container.settings.database_url)
    else:
        dbsetup.create_all(container.db)


@app.command("import")
def import_(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True,  # noqa: B008
                                help="CSV (UTF-8/GBK) or XLSX, header row: " + "spu_code, name, …, on_shelf"),
    actor: str = typer.Option("cli", help="who is importing (shelf history)"),
) -> None:
    """Import products from FILE; bad rows are listed with their row number and the command exits 1."""
    from commerce.catalog.importer import import_file

    container = _container()
    with Progress(TextColumn("导入 importing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("rows", total=None)
        report = import_file(container.db.uow, file, data_dir=container.data_dir, actor=actor,
                             progress=lambda n, total: bar.update(task, advance=n, total=total))
    print_report(report)
    if not report.ok:
        raise typer.Exit(1)


def print_report(report: ImportReport) -> None:
    summary = Table(title="导入结果 / import summary", show_header=False)
    summary.add_row("rows / 行数", str(report.rows_total))
    summary.add_row("imported / 成功", str(report.rows_imported))
    summary.add_row("failed / 失败", str(len({e.row for e in report.errors})))
    summary.add_row("products created / 新建商品", str(report.products_created))
    summary.add_row("products updated / 更新商品", str(report.products_updated))
    summary.add_row("SKUs created / 新建规格", str(report.skus_created))
    summary.add_row("SKUs updated / 更新规格", str(report.skus_updated))
    console.print(summary)
    if report.errors:
        errors = Table(title="错误行 / rows not imported")
        errors.add_column("row / 行", justify="right")
        errors.add_column("sku_code")
        errors.add_column("reason / 原因")
        for e in report.errors:
            errors.add_row(str(e.row), e.sku_code, e.reason)
        console.print(errors)


@app.command()
def search(query: str = typer.Argument(""), category: str = typer.Option(None), limit: int = 10) -> None:
    """Search the on-shelf catalog as a shopper would (handy after an import)."""
    from commerce.catalog.services import search_products

    container = _container()
    with container.db.uow() as uow:
        found = search_products(uow, query, category=category, limit=limit)
    table = Table(title=f"搜索 search: {query!r}")
    for column in ("code", "name", "category", "from ¥", "stock", "sales"):
        table.add_column(column)
    for p in found:
        table.add_row(p.code, p.name, p.category_path, fen_to_yuan_str(p.min_price_fen), str(p.total_stock),
                      str(p.sales_count))
    console.print(table)
