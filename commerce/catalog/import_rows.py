"""One spreadsheet row → a checked SKU line, or the reason it is refused (bilingual, for the CLI)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from commerce.catalog.categories import clean_path
from commerce.catalog.drafts import SkuDraft, check_sku
from commerce.catalog.errors import InvalidCategoryPath, InvalidProduct
from commerce.catalog.model import spec_from_text
from commerce.money import MoneyFormatError, yuan_to_fen

COLUMNS = ("spu_code", "name", "category", "subtitle", "description", "image", "sku_code", "spec",
           "price", "member_price", "stock", "on_shelf")
REQUIRED = ("spu_code", "name", "sku_code", "price", "stock")
TRUE_WORDS = frozenset({"1", "是", "true", "yes", "y", "上架", "on"})
FALSE_WORDS = frozenset({"0", "否", "false", "no", "n", "下架", "off"})
_INTEGER = re.compile(r"[+-]?\d+(\.0+)?")


class BadRow(ValueError):
    """A row is refused; the message is the reason shown to the merchant."""


@dataclass(frozen=True)
class RowError:
    row: int
    reason: str
    sku_code: str = ""


@dataclass(frozen=True)
class ImportRow:
    row: int
    spu_code: str
    name: str
    category: str  # canonical path or ""
    subtitle: str
    description: str
    image: str
    sku: SkuDraft


def header_problems(header: list[str]) -> list[str]:
    """Reasons the header row is unusable (unknown, missing or repeated columns)."""
    problems = []
    unknown = [h or "(blank)" for h in header if h not in COLUMNS]
    if unknown:
        problems.append(f"unknown column(s) {', '.join(unknown)} / 未知列；允许的列: {', '.join(COLUMNS)}")
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)} / 缺少必需列")
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        problems.append(f"repeated column(s) {', '.join(repeated)} / 列名重复")
    return problems


def parse_row(row: int, cells: dict[str, str]) -> ImportRow:
    """Check one row (raises BadRow with the reason)."""
    for column in REQUIRED:
        if not cells.get(column, "").strip():
            raise BadRow(f"{column}: missing / 缺少必填项 {column}")
    price = parse_fen("price", cells["price"])
    member = parse_fen("member_price", cells["member_price"]) if cells.get("member_price") else None
    sku = SkuDraft(code=cells["sku_code"].strip(), price_fen=price, spec=parse_spec(cells.get("spec", "")),
                   member_price_fen=member, stock=parse_stock(cells["stock"]),
                   on_shelf=parse_on_shelf(cells.get("on_shelf", "")))
    try:
        check_sku(sku)
        category = clean_path(cells["category"]) if cells.get("category", "").strip() else ""
    except InvalidCategoryPath as exc:
        raise BadRow(f"category: {exc.reason}") from None
    except InvalidProduct as exc:
        raise BadRow(f"{exc.field}: {exc.reason}") from None
    code = cells["spu_code"].strip()
    if len(code) > 64 or any(ch.isspace() for ch in code):
        raise BadRow("spu_code: must be ≤64 characters without spaces / 商品编码过长或含空格")
    return ImportRow(row, code, cells["name"].strip(), category, cells.get("subtitle", "").strip(),
                     cells.get("description", "").strip(), cells.get("image", "").strip(), sku)


def parse_fen(column: str, text: str) -> int:
    try:
        fen = yuan_to_fen(text)
    except MoneyFormatError as exc:
        if "decimals" in str(exc):
            raise BadRow(f"{column}: {text!r} has more than 2 decimals / 金额最多两位小数") from None
        raise BadRow(f"{column}: {text!r} is not an amount in yuan / 金额格式错误") from None
    if fen < 0:
        raise BadRow(f"{column}: {text!r} is negative / 金额不能为负数")
    return fen


def parse_stock(text: str) -> int:
    text = text.strip().replace(",", "")
    if not _INTEGER.fullmatch(text):
        raise BadRow(f"stock: {text!r} is not a whole number / 库存必须是整数")
    stock = int(text.split(".")[0])
    if stock < 0:
        raise BadRow(f"stock: {text!r} is negative / 库存不能为负数")
    return stock


def parse_spec(text: str) -> dict[str, str]:
    try:
        return {str(k): str(v) for k, v in spec_from_text(text).items()}
    except ValueError:
        raise BadRow(f"spec: {text!r} should look like 颜色:红;尺码:XL / 规格格式应为 颜色:红;尺码:XL") from None


def parse_on_shelf(text: str) -> bool:
    word = text.strip().lower()
    if not word or word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise BadRow(f"on_shelf: {text!r} should be 1/0/是/否/true/false / 上架状态应为 1/0/是/否")
