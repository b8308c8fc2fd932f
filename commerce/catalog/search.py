"""Consumer search and browse over on-shelf products.

Path of one search: the process snapshot of the visible catalog (see `snapshot.py`)
→ category / price filters in memory → for big catalogs a database prefilter over
`Product.search_text` (PostgreSQL: pg_trgm GIN index; SQLite: LIKE) → relevance
ranking in Python (`ranking.py`), ties broken by sales_count then sort_weight → one
small query re-reads stock and sales for the page returned.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, or_, select

from commerce.catalog.chinese import normalise
from commerce.catalog.indexing import SearchEntry
from commerce.catalog.model import Product, Sku
from commerce.catalog.query import Term, parse_query
from commerce.catalog.ranking import relevance
from commerce.catalog.snapshot import Snapshot, snapshot
from commerce.catalog.views import ProductView, SkuView, assemble
from commerce.db import UnitOfWork

# A search's ranking (~0.1-0.3 ms for the demo catalog, more for big ones) depends only on the snapshot
# and the search, and shoppers repeat searches (「脐橙」, the menu's best sellers): each snapshot keeps
# the rankings asked of it (stock is still re-read for the page shown).
RANKED_CACHE_SIZE = 512
PREFILTER_ABOVE = 500  # below this many visible products, ranking everything in memory is faster
MAX_LIMIT = 100


def search_products(
    uow: UnitOfWork,
    query: str = "",
    *,
    category: str | None = None,
    price_min_fen: int | None = None,
    price_max_fen: int | None = None,
    limit: int = 10,
    offset: int = 0,
) -> list[ProductView]:
    """On-shelf products matching `query` (empty = browse), best first; filters narrow the pool."""
    snap = snapshot(uow)
    key = (query.strip() if query else "", category, price_min_fen, price_max_fen)
    ranked = snap.ranked.get(key)
    if ranked is None:
        ranked = _ranked(uow, snap, key[0], category, price_min_fen, price_max_fen)
        if len(snap.ranked) >= RANKED_CACHE_SIZE:
            snap.ranked.clear()  # crude but lock-free; the frequent searches come back at once
        snap.ranked[key] = ranked
    page = ranked[max(offset, 0):max(offset, 0) + max(0, min(limit, MAX_LIMIT))]
    return refresh(uow, [e.view for e in page])


def _ranked(uow: UnitOfWork, snap: Snapshot, query: str, category: str | None, price_min_fen: int | None,
            price_max_fen: int | None) -> list[SearchEntry]:
    pool = filtered(snap, category, price_min_fen, price_max_fen)
    terms = parse_query(query) if query else ()
    if not terms:
        return sorted(pool, key=_popularity)
    if len(pool) > PREFILTER_ABOVE:
        pool = prefiltered(uow, pool, terms)
    return rank(pool, terms)


def rank(pool: list[SearchEntry], terms: tuple[Term, ...]) -> list[SearchEntry]:
    """Matching entries, best first.  Typo (edit-distance) matching runs only when nothing else matched."""
    scored = [(rel, e) for e in pool if (rel := relevance(e, terms, fuzzy=False))[0]]
    if not scored:
        scored = [(rel, e) for e in pool if (rel := relevance(e, terms))[0]]
    scored.sort(key=lambda s: (-s[0][0], -s[0][1], *_popularity(s[1])))
    if not scored:
        return []
    # 「anji白茶」 matched in full by 安吉白茶 must not list 氨基酸洁面乳 for its pinyin alone: keep what
    # matches as many terms as the best match does (and is not a negligible match next to it).
    top_terms, top_score = scored[0][0]
    return [e for (terms_hit, score), e in scored if terms_hit == top_terms and score * 5 >= top_score]


def best_sellers(uow: UnitOfWork, limit: int = 5, *, category: str | None = None) -> list[ProductView]:
    return search_products(uow, "", category=category, limit=limit)


def _popularity(entry: SearchEntry) -> tuple[int, int, int]:
    return (-entry.view.sales_count, -entry.sort_weight, entry.view.id)


def filtered(snap: Snapshot, category: str | None, price_min_fen: int | None,
             price_max_fen: int | None) -> list[SearchEntry]:
    pool = list(snap.entries)
    if category and category.strip():
        paths = category_subtree(snap, category)
        pool = [e for e in pool if e.category_path and _under(e.category_path, paths)]
    if price_min_fen is not None or price_max_fen is not None:
        lo = price_min_fen if price_min_fen is not None else 0
        hi = price_max_fen if price_max_fen is not None else 2**62
        pool = [e for e in pool if any(lo <= s.price_fen <= hi for s in e.view.skus)]
    return pool


def category_subtree(snap: Snapshot, category: str) -> tuple[str, ...]:
    """Paths of the categories named by `category` (a name `水果` or a path `食品/水果`)."""
    wanted = normalise(category).replace(" ", "").strip("/")
    return tuple(c.path for c in snap.categories
                 if normalise(c.path).replace(" ", "") == wanted or normalise(c.name) == wanted)


def _under(path: str, roots: tuple[str, ...]) -> bool:
    return any(path == r or path.startswith(r + "/") for r in roots)


def prefiltered(uow: UnitOfWork, pool: list[SearchEntry], terms: tuple[Term, ...]) -> list[SearchEntry]:
    """Candidates whose search_text contains a term (or its pinyin); all of `pool` if none do (typos)."""
    conditions: list[ColumnElement[bool]] = []
    for term in terms:
        for needle in dict.fromkeys([term.text, term.sound]):
            conditions.append(Product.search_text.contains(needle, autoescape=True))
        if uow.session.get_bind().dialect.name == "postgresql" and len(term.text) >= 3:
            conditions.append(Product.search_text.op("%>")(term.text))  # word similarity, GIN-indexed
    ids = set(uow.session.scalars(select(Product.id).where(Product.on_shelf.is_(True), or_(*conditions))))
    hits = [e for e in pool if e.view.id in ids]
    return hits or pool


def refresh(uow: UnitOfWork, views: list[ProductView]) -> list[ProductView]:
    """Re-read stock, SKU shelf state and sales for `views`; drop what went off shelf meanwhile."""
    if not views:
        return []
    rows = _volatile_rows(uow, [v.id for v in views])
    stock = {r[0]: r[2] for r in rows if r[3] and r[5]}
    sales = {r[1]: r[4] for r in rows}
    out = []
    for view in views:
        if sales.get(view.id) == view.sales_count and all(stock.get(s.id) == s.stock for s in view.skus):
            out.append(view)  # unchanged since the snapshot (the common case)
            continue
        skus = tuple(_with_stock(s, stock[s.id]) for s in view.skus if s.id in stock)
        if skus:
            out.append(assemble(view, skus, sales.get(view.id, view.sales_count)))
    return out


# (sku id, product id, sku stock, sku on shelf, product sales, product on shelf) for some products
_VOLATILE_SQL = (
    "SELECT s.id, s.product_id, s.stock, s.on_shelf, p.sales_count, p.on_shelf FROM skus s "
    "JOIN products p ON p.id = s.product_id WHERE s.product_id = ANY(%s::bigint[])"
)


def _volatile_rows(uow: UnitOfWork, ids: list[int]) -> Sequence[Sequence[Any]]:
    """One prepared statement on PostgreSQL (every search and detail runs it), Core elsewhere."""
    raw = uow.psycopg_connection()
    if raw is not None:  # the ids as an array literal: psycopg's list adaptation costs ~0.05 ms per call
        literal = "{" + ",".join(str(int(i)) for i in ids) + "}"
        return raw.execute(_VOLATILE_SQL, (literal,), prepare=True).fetchall()  # type: ignore[no-any-return]
    return uow.session.execute(
        select(Sku.id, Sku.product_id, Sku.stock, Sku.on_shelf, Product.sales_count, Product.on_shelf)
        .join(Product, Product.id == Sku.product_id)
        .where(Sku.product_id.in_(ids))
    ).all()


def _with_stock(sku: SkuView, stock: int) -> SkuView:
    return sku if sku.stock == stock else dataclasses.replace(sku, stock=stock)
