"""Catalog writes: upsert a product by code, shelf on/off with history, stock corrections.

Like every service here they flush but never commit: the caller owns the unit of work.
Every write refreshes `Product.search_text`; the search snapshot notices the flush.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select, update

from commerce.catalog.categories import ensure_category
from commerce.catalog.drafts import ProductDraft, SkuDraft, check_product
from commerce.catalog.errors import (
    ProductNotFound,
    SkuBelongsToOtherProduct,
    SkuNotFound,
    StockWouldGoNegative,
)
from commerce.catalog.indexing import index_text
from commerce.catalog.model import Product, ShelfEvent, Sku
from commerce.db import UnitOfWork

log = logging.getLogger("commerce.catalog")


@dataclass(frozen=True)
class UpsertResult:
    product_id: int
    created: bool
    skus_created: int
    skus_updated: int


def upsert_product(uow: UnitOfWork, draft: ProductDraft, *, actor: str) -> UpsertResult:
    """Create or update the product `draft.code` and its SKUs (SKUs not in the draft are left alone)."""
    check_product(draft)
    session = uow.session
    product = session.scalar(select(Product).where(Product.code == draft.code))
    created = product is None
    if product is None:
        product = Product(code=draft.code, name=draft.name, on_shelf=False)
        session.add(product)
    _check_sku_owners(uow, draft, product)
    _apply_fields(uow, product, draft)
    by_code = {s.code: s for s in product.skus}
    for sku_draft in draft.skus:
        sku = by_code.get(sku_draft.code)
        if sku is None:
            sku = Sku(code=sku_draft.code, price_fen=sku_draft.price_fen)
            product.skus.append(sku)
        _apply_sku(sku, sku_draft)
    on_shelf = draft.on_shelf if draft.on_shelf is not None else any(s.on_shelf for s in draft.skus)
    session.flush()
    if created or bool(product.on_shelf) != on_shelf:
        _record_shelf(uow, product, on_shelf, actor=actor, reason="created" if created else "updated")
    product.search_text = index_text(product)
    session.flush()
    new = sum(1 for s in draft.skus if s.code not in by_code)
    return UpsertResult(product.id, created, new, len(draft.skus) - new)


def _check_sku_owners(uow: UnitOfWork, draft: ProductDraft, product: Product) -> None:
    codes = [s.code for s in draft.skus]
    rows = uow.session.execute(
        select(Sku.code, Product.code).join(Product, Product.id == Sku.product_id).where(Sku.code.in_(codes))
    ).all()
    for sku_code, owner in rows:
        if owner != product.code:
            raise SkuBelongsToOtherProduct(sku_code, owner)


def _apply_fields(uow: UnitOfWork, product: Product, draft: ProductDraft) -> None:
    product.name = draft.name.strip()
    product.subtitle = draft.subtitle.strip()
    product.description = draft.description.strip()
    product.category = ensure_category(uow, draft.category_path) if draft.category_path.strip() else None
    optional = {"images": draft.images, "selling_points": draft.selling_points, "tags": draft.tags, "kind": draft.kind,
                "sort_weight": draft.sort_weight, "sales_count": draft.sales_count,
                "no_reason_return": draft.no_reason_return}
    for name, value in optional.items():
        if value is not None:
            setattr(product, name, list(value) if isinstance(value, tuple) else value)


def _apply_sku(sku: Sku, draft: SkuDraft) -> None:
    sku.spec = dict(draft.spec)
    sku.price_fen = draft.price_fen
    sku.member_price_fen = draft.member_price_fen
    sku.original_price_fen = draft.original_price_fen
    sku.stock = draft.stock
    sku.on_shelf = draft.on_shelf
    for name in ("weight_g", "low_stock_threshold", "purchase_limit"):
        value = getattr(draft, name)
        if value is not None:
            setattr(sku, name, value)


def _record_shelf(uow: UnitOfWork, product: Product, on_shelf: bool, *, actor: str, reason: str) -> None:
    product.on_shelf = on_shelf
    uow.session.add(ShelfEvent(product_id=product.id, on_shelf=on_shelf, actor=actor[:64], reason=reason[:255]))


def set_shelf(uow: UnitOfWork, product_code: str, on_shelf: bool, *, actor: str, reason: str = "") -> None:
    """Put a product on or off shelf; a change is recorded in ShelfEvent (no-op if already so)."""
    product = uow.session.scalar(select(Product).where(Product.code == product_code))
    if product is None:
        raise ProductNotFound(product_code)
    if bool(product.on_shelf) != on_shelf:
        _record_shelf(uow, product, on_shelf, actor=actor, reason=reason)
        uow.session.flush()
        log.info("shelf %s -> %s by %s (%s)", product_code, "on" if on_shelf else "off", actor, reason)


def adjust_stock(uow: UnitOfWork, sku_code: str, delta: int, *, actor: str) -> int:
    """Add (restock) or remove stock atomically; returns the new stock.  Never goes below zero."""
    new_stock = uow.session.execute(
        update(Sku)
        .where(Sku.code == sku_code, Sku.stock + delta >= 0)
        .values(stock=Sku.stock + delta)
        .returning(Sku.stock)
        .execution_options(synchronize_session=False)
    ).scalar()
    if new_stock is None:
        current = uow.session.scalar(select(Sku.stock).where(Sku.code == sku_code))
        if current is None:
            raise SkuNotFound(sku_code)
        raise StockWouldGoNegative(sku_code, current, delta)
    for obj in list(uow.session.identity_map.values()):
        if isinstance(obj, Sku) and obj.code == sku_code:
            uow.session.expire(obj, ["stock"])
    log.info("stock %s %+d -> %d by %s", sku_code, delta, new_stock, actor)
    return int(new_stock)


def set_category_weight(uow: UnitOfWork, path: str, sort_weight: int) -> None:
    """Order categories for browsing (higher first); creates the path if it does not exist yet."""
    ensure_category(uow, path).sort_weight = sort_weight
    uow.session.flush()
