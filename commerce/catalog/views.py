"""Read models handed to the edges (dialogue, orders, posters, NLU): frozen, consumer-visible data only.

Off-shelf SKUs are never in a `ProductView`; a product with no SKU on shelf is not visible at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from commerce.catalog.model import Product, Sku


@dataclass(frozen=True)
class SkuView:
    id: int
    code: str
    spec: dict[str, str]
    spec_text: str
    price_fen: int
    member_price_fen: int | None
    original_price_fen: int | None
    stock: int
    on_shelf: bool


@dataclass(frozen=True)
class ProductView:
    id: int
    code: str
    name: str
    subtitle: str
    description: str
    selling_points: tuple[str, ...]
    images: tuple[str, ...]
    category_path: str
    tags: tuple[str, ...]
    kind: str
    skus: tuple[SkuView, ...]
    min_price_fen: int
    member_min_price_fen: int | None
    total_stock: int
    sales_count: int
    on_shelf: bool
    no_reason_return: bool = True  # 七天无理由退货 (False: 鲜活易腐, 定制… — 消法 25)


@dataclass(frozen=True)
class CategoryView:
    id: int
    name: str
    path: str
    parent_id: int | None
    product_count: int  # on-shelf products in this category and its subcategories


@dataclass(frozen=True)
class Vocabulary:
    """Catalog words for the NLU (`Interpreter.update_vocabulary(products=…, categories=…, specs=…)`)."""

    products: tuple[str, ...]  # product names and their short aliases (`赣南脐橙 5斤装` → `赣南脐橙`)
    categories: tuple[str, ...]  # category names (each level of every path)
    specs: tuple[str, ...]  # distinct spec values (`红`, `XL`, `5斤`)
    aliases: tuple[tuple[str, str], ...] = ()  # (alias, product name)


def sku_view(sku: Sku) -> SkuView:
    spec = {str(k): str(v) for k, v in (sku.spec or {}).items()}
    return SkuView(
        id=sku.id,
        code=sku.code,
        spec=spec,
        spec_text=" ".join(spec.values()),
        price_fen=sku.price_fen,
        member_price_fen=sku.member_price_fen,
        original_price_fen=sku.original_price_fen,
        stock=sku.stock,
        on_shelf=sku.on_shelf,
    )


def is_visible(product: Product) -> bool:
    return bool(product.on_shelf) and any(s.on_shelf for s in product.skus)


def product_view(product: Product) -> ProductView:
    """The consumer view of a visible product (callers check `is_visible` first)."""
    skus = tuple(sku_view(s) for s in product.skus if s.on_shelf)
    return assemble(product, skus, product.sales_count)


def assemble(product: Product | ProductView, skus: tuple[SkuView, ...], sales_count: int) -> ProductView:
    members = [s.member_price_fen for s in skus if s.member_price_fen is not None]
    member_min = min(min(s.member_price_fen, s.price_fen) if s.member_price_fen is not None else s.price_fen
                     for s in skus) if members else None
    category_path = (product.category_path if isinstance(product, ProductView)
                     else product.category.path if product.category else "")
    return ProductView(
        id=product.id,
        code=product.code,
        name=product.name,
        subtitle=product.subtitle or "",
        description=product.description or "",
        selling_points=tuple(product.selling_points or ()),
        images=tuple(product.images or ()),
        category_path=category_path,
        tags=tuple(product.tags or ()),
        kind=product.kind,
        skus=skus,
        min_price_fen=min((s.price_fen for s in skus), default=0),
        member_min_price_fen=member_min,
        total_stock=sum(max(s.stock, 0) for s in skus),
        sales_count=sales_count,
        on_shelf=bool(product.on_shelf),
        no_reason_return=product.no_reason_return is not False,
    )
