"""Catalog use cases: the API the dialogue, orders, posters and NLU code against.

Reads go through the in-process snapshot of the visible catalog (fresh stock and sales
are re-read per call); writes flush but never commit — the caller owns the unit of work.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from sqlalchemy import Select, select

from commerce.catalog.errors import ProductNotFound, ProductOffShelf
from commerce.catalog.indexing import SearchEntry, short_name
from commerce.catalog.model import Product
from commerce.catalog.search import best_sellers, refresh, search_products
from commerce.catalog.sku_match import match_sku
from commerce.catalog.snapshot import snapshot
from commerce.catalog.views import CategoryView, ProductView, SkuView, Vocabulary, is_visible, product_view
from commerce.catalog.writes import UpsertResult, adjust_stock, set_shelf, upsert_product
from commerce.db import UnitOfWork

__all__ = [
    "CategoryView", "ProductView", "SkuView", "UpsertResult", "Vocabulary",
    "adjust_stock", "best_sellers", "list_categories", "match_sku", "product_by_code", "product_detail",
    "product_outline",
    "search_products", "set_shelf", "upsert_product", "vocabulary",
]


def product_detail(uow: UnitOfWork, product_id: int) -> ProductView:
    """The consumer view of one product; ProductNotFound / ProductOffShelf otherwise."""
    entry = snapshot(uow).by_id.get(product_id)
    return _fresh_or_load(uow, entry, lambda: select(Product).where(Product.id == product_id), product_id)


def product_outline(uow: UnitOfWork, product_id: int) -> ProductView:
    """The product as the process snapshot has it — names, specs, prices; stock may be seconds old.

    For deciding what a message is about (does 「M码」 name one of its specs?) without a database
    round trip; show or sell from `product_detail`.
    """
    entry = snapshot(uow).by_id.get(product_id)
    return entry.view if entry is not None else product_detail(uow, product_id)


def product_by_code(uow: UnitOfWork, code: str) -> ProductView:
    entry = snapshot(uow).by_code.get(code)
    return _fresh_or_load(uow, entry, lambda: select(Product).where(Product.code == code), code)


def _fresh_or_load(
    uow: UnitOfWork, entry: SearchEntry | None, stmt: Callable[[], Select[tuple[Product]]], key: object
) -> ProductView:
    """The snapshot's view with fresh stock; else the product as stored (`stmt` is built only then)."""
    if entry is not None:
        fresh = refresh(uow, [entry.view])
        if fresh:
            return fresh[0]
    product = uow.session.scalar(stmt().execution_options(populate_existing=True))
    if product is None:
        raise ProductNotFound(key)
    if not is_visible(product):
        raise ProductOffShelf(product.id, product.code, product.name)
    return product_view(product)  # written by another process since the snapshot was built


def list_categories(uow: UnitOfWork) -> list[CategoryView]:
    """Every category in tree order, each with its on-shelf product count (subcategories included)."""
    snap = snapshot(uow)
    counts: Counter[str] = Counter()
    for entry in snap.entries:
        parts = entry.category_path.split("/") if entry.category_path else []
        for i in range(len(parts)):
            counts["/".join(parts[: i + 1])] += 1
    return [CategoryView(c.id, c.name, c.path, c.parent_id, counts[c.path]) for c in snap.categories]


def vocabulary(uow: UnitOfWork) -> Vocabulary:
    """Names, short aliases, category names and spec values of the visible catalog, for the NLU."""
    snap = snapshot(uow)
    names: dict[str, None] = {}
    aliases: dict[tuple[str, str], None] = {}
    specs: dict[str, None] = {}
    for entry in snap.entries:
        view = entry.view
        names[view.name] = None
        alias = short_name(view.name)
        if alias != view.name:
            names[alias] = None
            aliases[(alias, view.name)] = None
        for sku in view.skus:
            specs.update(dict.fromkeys(v for v in sku.spec.values() if v))
    categories = dict.fromkeys(c.name for c in snap.categories)
    return Vocabulary(tuple(names), tuple(categories), tuple(specs), tuple(aliases))
