"""Stock reservation.

Choice: stock is **reserved at order creation**, not at payment.  A customer who
reaches the pay page is guaranteed the goods; the price is that an unpaid order
holds stock until it is cancelled or expires (`orders.expire_unpaid`, default 30
minutes), which then releases it.  Refunds before shipping release it too.

Never oversold: the reservation is one conditional statement per SKU,

    UPDATE skus SET stock = stock - :n WHERE id = :id AND stock >= :n RETURNING stock

so the database, not a read-then-write in Python, decides.  On a hot SKU the row
lock taken by this UPDATE is held until COMMIT has been flushed to disk, so
`place_order` issues it LAST: every other write (order, lines, cart) happens
before the lock is taken.  On PostgreSQL the same guarded decrement is a CTE of the
checkout's single write statement (`decrement_ctes`).  Several SKUs are locked in
id order so two checkouts cannot deadlock.

Crossing the low-stock threshold publishes `commerce.events.LowStock` (the hook
for merchant notifications; handlers must defer I/O with `uow.after_commit`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from sqlalchemy import func, select, update
from sqlalchemy.orm import noload
from sqlalchemy.orm.attributes import set_committed_value

from commerce import events
from commerce.catalog.model import Product, Sku
from commerce.db import UnitOfWork
from commerce.inventory.errors import OutOfStock, PurchaseLimitExceeded, SkuNotFound, SkuUnavailable
from commerce.orders import policy


class SkuLike(Protocol):
    """What the stock rules read of a SKU: the ORM `Sku` or the checkout fast path's plain row."""

    @property
    def id(self) -> int: ...
    @property
    def code(self) -> str: ...
    @property
    def stock(self) -> int: ...
    @property
    def on_shelf(self) -> bool: ...
    @property
    def purchase_limit(self) -> int | None: ...
    @property
    def low_stock_threshold(self) -> int | None: ...


class ProductLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def on_shelf(self) -> bool: ...


def ensure_sellable(sku: SkuLike, product: ProductLike, quantity: int) -> None:
    """Pre-check (the guarantee is the conditional UPDATE): on shelf and enough stock."""
    if not (sku.on_shelf and product.on_shelf):
        raise SkuUnavailable(sku.id, product.name)
    if sku.stock < quantity:
        raise OutOfStock(sku.id, product.name, quantity, sku.stock)


def ensure_within_limit(sku: SkuLike, product: ProductLike, quantity: int, already: int) -> None:
    if sku.purchase_limit is not None and already + quantity > sku.purchase_limit:
        raise PurchaseLimitExceeded(sku.id, product.name, sku.purchase_limit, already)


def load_skus(uow: UnitOfWork, sku_ids: Iterable[int]) -> dict[int, tuple[Sku, Product]]:
    """SKUs with their products in one query; unknown ids raise SkuNotFound."""
    ids = sorted(set(sku_ids))
    stmt = (
        select(Sku, Product).join(Product, Sku.product_id == Product.id).where(Sku.id.in_(ids))
        .options(noload(Product.skus), noload(Product.category))
    )
    rows = uow.session.execute(stmt)
    found = {sku.id: (sku, product) for sku, product in rows.tuples()}
    for sku_id in ids:
        if sku_id not in found:
            raise SkuNotFound(sku_id)
    return found


def reserve(uow: UnitOfWork, quantities: Mapping[int, int], names: Mapping[int, str]) -> dict[int, int]:
    """Take stock for every SKU or raise OutOfStock (the caller's transaction then rolls back).

    Returns the remaining stock per SKU.  Call this last, right before commit.
    """
    remaining: dict[int, int] = {}
    for sku_id in sorted(quantities):
        n = quantities[sku_id]
        left = uow.session.execute(
            update(Sku)
            .where(Sku.id == sku_id, Sku.stock >= n)
            .values(stock=Sku.stock - n)
            .returning(Sku.stock)
            .execution_options(synchronize_session=False)
        ).scalar()
        if left is None:
            available = uow.session.scalar(select(Sku.stock).where(Sku.id == sku_id)) or 0
            raise OutOfStock(sku_id, names.get(sku_id, ""), n, available)
        remaining[sku_id] = int(left)
    sync_loaded(uow, remaining)
    return remaining


# The guarded decrement as CTEs for ONE PostgreSQL statement (the checkout fast path's write), over a
# relation `{wanted}(sku_id, quantity)` the statement defines.  With several SKUs their rows are
# locked in id order first, so two checkouts cannot deadlock; then each is decremented only if
# enough stock is left.  The last of `taken_columns` is 1 / (all taken), so a short SKU fails the
# whole statement with division by zero — nothing of it is written.
_LOCK_IN_ID_ORDER = """
locked AS (
    SELECT id FROM skus WHERE id IN (SELECT sku_id FROM {wanted}) ORDER BY id FOR NO KEY UPDATE),"""
_DECREMENT = """
taken AS (
    UPDATE skus s SET stock = s.stock - w.quantity, updated_at = now()
    FROM {wanted} w
    WHERE s.id = w.sku_id AND s.stock >= w.quantity{locked}
    RETURNING s.id, s.stock)"""
_TAKEN_COLUMNS = """(SELECT array_agg(taken.id ORDER BY taken.id) FROM taken),
       (SELECT array_agg(taken.stock ORDER BY taken.id) FROM taken),
       1 / ((SELECT count(*) FROM taken) = (SELECT count(*) FROM {wanted}))::int"""
DIVISION_BY_ZERO = "22012"


def decrement_ctes(wanted: str, *, several: bool) -> str:
    if not several:
        return _DECREMENT.format(wanted=wanted, locked="")
    return _LOCK_IN_ID_ORDER.format(wanted=wanted) + _DECREMENT.format(
        wanted=wanted, locked=" AND s.id IN (SELECT id FROM locked)")


def taken_columns(wanted: str) -> str:
    """(SKU ids taken, their stock left, 1 or division by zero) for the statement's SELECT list."""
    return _TAKEN_COLUMNS.format(wanted=wanted)


def short_sku(uow: UnitOfWork, quantities: Mapping[int, int], names: Mapping[int, str]) -> OutOfStock:
    """The OutOfStock to raise after a guarded decrement failed: the first SKU (id order) that is short."""
    ids = sorted(quantities)
    for sku_id in ids:
        if (left := stock_of(uow, sku_id)) < quantities[sku_id]:
            return OutOfStock(sku_id, names.get(sku_id, ""), quantities[sku_id], left)
    return OutOfStock(ids[0], names.get(ids[0], ""), quantities[ids[0]], stock_of(uow, ids[0]))


def sync_loaded(uow: UnitOfWork, remaining: Mapping[int, int]) -> None:
    """Tell SKUs already loaded in this session their new stock (the UPDATE bypassed the ORM)."""
    if not uow.session.identity_map:  # nothing loaded (the checkout fast path): skip the key lookups
        return
    for sku_id, left in remaining.items():
        loaded = uow.session.identity_map.get(uow.session.identity_key(Sku, sku_id))  # type: ignore[call-overload]
        if loaded is not None:
            set_committed_value(loaded, "stock", left)


def release(uow: UnitOfWork, quantities: Mapping[int, int]) -> None:
    """Give reserved stock back (cancel, timeout, refund before shipping)."""
    for sku_id in sorted(quantities):
        if quantities[sku_id] > 0:
            uow.session.execute(
                update(Sku)
                .where(Sku.id == sku_id)
                .values(stock=Sku.stock + quantities[sku_id])
                .execution_options(synchronize_session=False)
            )
            loaded = uow.session.identity_map.get(uow.session.identity_key(Sku, sku_id))  # type: ignore[call-overload]
            if loaded is not None:
                uow.session.expire(loaded, ["stock"])


def warn_low_stock(
    uow: UnitOfWork, skus: Mapping[int, tuple[SkuLike, ProductLike]], remaining: Mapping[int, int],
    taken: Mapping[int, int],
) -> None:
    """Publish LowStock for each SKU whose stock just crossed its threshold."""
    for sku_id, left in remaining.items():
        sku, product = skus[sku_id]
        threshold = sku.low_stock_threshold
        if threshold is None:
            threshold = policy.current().low_stock_threshold
        if left <= threshold < left + taken[sku_id]:
            events.publish(uow, events.LowStock(sku_id, sku.code, product.name, left, threshold))


def stock_of(uow: UnitOfWork, sku_id: int) -> int:
    return int(uow.session.scalar(select(func.coalesce(Sku.stock, 0)).where(Sku.id == sku_id)) or 0)
