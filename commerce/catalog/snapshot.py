"""In-process snapshot of the visible catalog, the hot path of every searching chat message.

The snapshot (views + search entries + category tree) is rebuilt when:
- any session in this process flushes or commits a change to a product, SKU or category
  other than stock / sales_count (those "volatile" numbers are re-read for every result page
  instead, so a checkout does not throw the snapshot away), or runs a DML statement on
  those tables that touches other columns;
- it is older than `TTL_SECONDS` and the catalog's fingerprint (row counts, last update times,
  total sales — one small query) has changed meanwhile: writes made by another process, e.g.
  `siyu catalog import` while the server runs, show up within that time, and an unchanged
  catalog is not reloaded every 10 s (a rebuild holds the event loop for tens of ms: it was
  the gateway bench's slowest replies).
Snapshots are kept per engine and die with it.
"""

from __future__ import annotations

import dataclasses
import threading
import time
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import ORMExecuteState, Session, selectinload

from commerce import cooperative
from commerce.catalog.chinese import learn_words
from commerce.catalog.indexing import SearchEntry, entry_for, short_name
from commerce.catalog.model import Category, Product, Sku
from commerce.catalog.query import parse_query
from commerce.catalog.views import is_visible, product_view
from commerce.db import UnitOfWork

TTL_SECONDS = 10.0
CATALOG_TABLES = frozenset({"products", "skus", "categories"})
VOLATILE = frozenset({"stock", "sales_count", "updated_at"})
_DIRTY = "siyu.catalog_dirty"


@dataclass(frozen=True)
class CategoryNode:
    id: int
    name: str
    path: str
    parent_id: int | None
    depth: int


@dataclass(frozen=True)
class Snapshot:
    generation: int
    built_at: float
    entries: tuple[SearchEntry, ...]
    categories: tuple[CategoryNode, ...]  # tree order
    by_id: dict[int, SearchEntry] = field(default_factory=dict)
    by_code: dict[str, SearchEntry] = field(default_factory=dict)
    # search results over this snapshot, best first, by (query, category, price band) — see search.py
    ranked: dict[tuple[Any, ...], list[SearchEntry]] = field(default_factory=dict)
    fingerprint: tuple[Any, ...] = ()  # `_fingerprint` when built


class _Generation:
    def __init__(self) -> None:
        self.value = 0
        self.lock = threading.Lock()

    def bump(self) -> None:
        with self.lock:
            self.value += 1


_generation = _Generation()
_cache: weakref.WeakKeyDictionary[Engine, Snapshot] = weakref.WeakKeyDictionary()
_build_lock = cooperative.Lock()  # held while the snapshot loads from the database


def invalidate() -> None:
    """Forget every snapshot in this process (the next read rebuilds)."""
    _generation.bump()


def snapshot(uow: UnitOfWork) -> Snapshot:
    engine = uow.engine
    snap = _cache.get(engine)
    if snap is not None and _fresh(snap):
        return snap
    with _build_lock:
        snap = _cache.get(engine)
        if snap is None or not _fresh(snap):
            if snap is not None and snap.generation == _generation.value and _fingerprint(uow.session) == snap.fingerprint:
                snap = dataclasses.replace(snap, built_at=time.monotonic())  # unchanged: keep it another TTL
            else:
                snap = build(uow.session)
            _cache[engine] = snap
    return snap


def _fingerprint(session: Session) -> tuple[Any, ...]:
    """What changes when another process edits the catalog: counts, last update times, total sales
    (best-seller order), and the category tree's shape."""
    row = session.execute(select(
        select(func.count()).select_from(Product).scalar_subquery(),
        select(func.max(Product.updated_at)).scalar_subquery(),
        select(func.sum(Product.sales_count)).scalar_subquery(),
        select(func.count()).select_from(Sku).scalar_subquery(),
        select(func.max(Sku.updated_at)).scalar_subquery(),
        select(func.count()).select_from(Category).scalar_subquery(),
        select(func.max(Category.id)).scalar_subquery(),
        select(func.sum(func.length(Category.path) + func.length(Category.name) + Category.sort_weight))
        .scalar_subquery(),
    )).one()
    return tuple(row)


def _fresh(snap: Snapshot) -> bool:
    return snap.generation == _generation.value and time.monotonic() - snap.built_at < TTL_SECONDS


def build(session: Session) -> Snapshot:
    generation, built_at = _generation.value, time.monotonic()  # read before loading: a racing write wins
    fingerprint = _fingerprint(session)
    categories = tree_order(session.scalars(select(Category)).all())
    products = session.scalars(
        select(Product).where(Product.on_shelf.is_(True)).options(selectinload(Product.skus)).order_by(Product.id)
    ).unique().all()
    visible = [p for p in products if is_visible(p)]
    _teach_tokenizer(visible, categories)
    entries = tuple(entry_for(product_view(p), p.sort_weight or 0) for p in visible)
    return Snapshot(generation, built_at, entries, categories,
                    {e.view.id: e for e in entries}, {e.view.code: e for e in entries}, fingerprint=fingerprint)


def tree_order(categories: Iterable[Category]) -> tuple[CategoryNode, ...]:
    children: dict[int | None, list[Category]] = {}
    for c in categories:
        children.setdefault(c.parent_id, []).append(c)
    out: list[CategoryNode] = []

    def walk(parent: int | None, depth: int) -> None:
        for c in sorted(children.get(parent, ()), key=lambda c: (-(c.sort_weight or 0), c.id)):
            out.append(CategoryNode(c.id, c.name, c.path, c.parent_id, depth))
            walk(c.id, depth + 1)

    walk(None, 0)
    return tuple(out)


def _teach_tokenizer(products: list[Product], categories: tuple[CategoryNode, ...]) -> None:
    words = [w for p in products for w in (p.name, short_name(p.name), *(p.tags or ()))]
    if learn_words(words + [c.name for c in categories]):
        parse_query.cache_clear()  # queries parsed before now may split a new word


# -- invalidation --------------------------------------------------------------------
def _mark(session: Session) -> None:
    session.info[_DIRTY] = True
    _generation.bump()


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _ctx: Any) -> None:
    for obj in (*session.new, *session.deleted):
        if isinstance(obj, Product | Sku | Category):
            _mark(session)
            return
    for obj in session.dirty:
        if isinstance(obj, Product | Sku | Category) and _changed(obj) - VOLATILE:
            _mark(session)
            return


def _changed(obj: object) -> set[str]:
    from sqlalchemy import inspect

    state = inspect(obj)
    return {a.key for a in state.attrs if a.history.has_changes()}


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _after_end(session: Session) -> None:
    if session.info.pop(_DIRTY, False):
        _generation.bump()


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) not in CATALOG_TABLES:
        return
    columns = _dml_columns(state) if state.is_update else None
    if columns is None or columns - VOLATILE:
        _mark(state.session)


def _dml_columns(state: ORMExecuteState) -> set[str] | None:
    values = getattr(state.statement, "_values", None) or {}
    names = {str(getattr(k, "key", k)) for k in values}
    params = state.parameters
    rows = params if isinstance(params, list) else [params] if params else []
    for row in rows:
        names |= {str(k) for k in row if k not in ("id", "b_id")}
    return names or None
