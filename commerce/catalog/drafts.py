"""What a catalog write asks for: a product (SPU) with its SKUs, checked before anything is written.

Both the spreadsheet importer and the demo seed build `ProductDraft`s and hand them to
`writes.upsert_product`, so there is one write path and one set of rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from commerce.catalog.errors import InvalidProduct

KINDS = frozenset({"normal", "seckill", "points", "service"})
MAX_CODE = 64
MAX_NAME = 200


@dataclass(frozen=True)
class SkuDraft:
    code: str
    price_fen: int
    spec: dict[str, str] = field(default_factory=dict)
    member_price_fen: int | None = None
    original_price_fen: int | None = None  # a real previous price (划线价), higher than price
    stock: int = 0
    on_shelf: bool = True
    # None = keep the current value (new SKUs get the model default)
    weight_g: int | None = None
    low_stock_threshold: int | None = None
    purchase_limit: int | None = None


@dataclass(frozen=True)
class ProductDraft:
    code: str
    name: str
    skus: tuple[SkuDraft, ...]
    category_path: str = ""  # "" = uncategorised
    subtitle: str = ""
    description: str = ""
    on_shelf: bool | None = None  # None = on shelf when any SKU is
    # None = keep the current value (new products get the model default)
    images: tuple[str, ...] | None = None
    selling_points: tuple[str, ...] | None = None
    tags: tuple[str, ...] | None = None
    kind: str | None = None
    sort_weight: int | None = None
    sales_count: int | None = None
    no_reason_return: bool | None = None


def check_sku(sku: SkuDraft) -> None:
    """Raise InvalidProduct naming the field when a SKU breaks a price or stock rule."""
    _check_code("sku_code", sku.code)
    if sku.price_fen <= 0:
        raise InvalidProduct("price", "must be greater than 0 / 价格必须大于 0")
    if sku.member_price_fen is not None:
        if sku.member_price_fen <= 0:
            raise InvalidProduct("member_price", "must be greater than 0 / 会员价必须大于 0")
        if sku.member_price_fen > sku.price_fen:
            raise InvalidProduct("member_price", "higher than price / 会员价高于售价")
    if sku.original_price_fen is not None and sku.original_price_fen < sku.price_fen:
        raise InvalidProduct("original_price", "lower than price / 划线价低于售价")
    if sku.stock < 0:
        raise InvalidProduct("stock", "must not be negative / 库存不能为负数")
    for name, value in (("weight_g", sku.weight_g), ("purchase_limit", sku.purchase_limit),
                        ("low_stock_threshold", sku.low_stock_threshold)):
        if value is not None and value < 0:
            raise InvalidProduct(name, "must not be negative / 不能为负数")


def check_product(draft: ProductDraft) -> None:
    _check_code("spu_code", draft.code)
    if not draft.name.strip():
        raise InvalidProduct("name", "missing / 缺少商品名称")
    if len(draft.name) > MAX_NAME:
        raise InvalidProduct("name", f"longer than {MAX_NAME} characters / 商品名称过长")
    if draft.kind is not None and draft.kind not in KINDS:
        raise InvalidProduct("kind", f"unknown kind {draft.kind!r} / 未知商品类型")
    if not draft.skus:
        raise InvalidProduct("skus", "a product needs at least one SKU / 商品至少要有一个规格")
    seen_codes: set[str] = set()
    seen_specs: set[tuple[tuple[str, str], ...]] = set()
    for sku in draft.skus:
        check_sku(sku)
        spec = tuple(sorted(sku.spec.items()))
        if sku.code in seen_codes:
            raise InvalidProduct("sku_code", f"duplicate {sku.code} / SKU 编码重复")
        if spec in seen_specs:
            raise InvalidProduct("spec", f"two SKUs with the same spec {dict(spec)} / 规格重复")
        seen_codes.add(sku.code)
        seen_specs.add(spec)


def _check_code(field_name: str, code: str) -> None:
    if not code.strip():
        raise InvalidProduct(field_name, "missing / 缺少编码")
    if len(code) > MAX_CODE or any(ch.isspace() for ch in code):
        raise InvalidProduct(field_name, f"must be ≤{MAX_CODE} characters without spaces / 编码过长或含空格")
