"""Stock reservation.

Choice: stock is **reserved at order creation**, not at payment.  A customer who
reaches the pay page is guaranteed the goods; the price is that an unpaid order
holds stock until it is cancelled or expires (`orders.expire_unpaid`, default 30
minutes), which then releases it.  Refunds before shipping release it too.

Never oversold: the reservation is one conditional statement per SKU,

    UPDATE skus SET stock = stock - :n WHERE id = :id AND stock >= :n RETURNING stock

so the database, not a read-then-write in Python, decides.  On a hot SKU the row
lock taken by this UPDATE is held until COMMIT has been flushed to disk, so
`place_order` issues it as the LAST statement of the transaction: every other
write (order, lines, cart) happens before the lock is taken.  Several SKUs are
locked in id order so two checkouts cannot deadlock.

Crossing the low-stock threshold publishes `commerce.events.LowStock` (the hook
for merchant notifications; handlers must defer I/O with `uow.after_commit`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

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
        loaded = uow.session.identity_map.get(uow.session.identity_key(Sku, sku_id))  # type: ignore[call-overload]
        if loaded is not None:
            set_committed_value(loaded, "stock", int(left))
    return remaining


# The guarded decrement as one statement that, when `strict`, FAILS (division by zero) if the guard
# matches no row, so it can be pipelined with COMMIT: on failure the server skips the COMMIT and the
# transaction stays aborted — nothing is written.  Not strict, it returns NULL stock instead and the
# transaction stays usable.  PostgreSQL only; measured: see bench/inventory.py.
_PIPELINED_DECREMENT = (
    "WITH u AS (UPDATE skus SET stock = stock - %(n)s::int, updated_at = now() "
    "WHERE id = %(id)s::bigint AND stock >= %(n)s::int RETURNING stock) "
    "SELECT (SELECT stock FROM u), 1 / CASE WHEN %(strict)s::bool THEN (SELECT count(*)::int FROM u) ELSE 1 END"
)
_DIVISION_BY_ZERO = "22012"
Decrements = list[tuple[int, Any]]  # (sku_id, psycopg cursor holding its result)


def send_decrements(raw: Any, quantities: Mapping[int, int], *, strict: bool) -> Decrements:
    """Queue the guarded decrements (SKU id order: no deadlocks) on a psycopg connection in pipeline mode."""
    sent = []
    for sku_id in sorted(quantities):
        cur = raw.cursor()
        cur.execute(_PIPELINED_DECREMENT, {"id": sku_id, "n": quantities[sku_id], "strict": strict}, prepare=True)
        sent.append((sku_id, cur))
    return sent


def raise_if_short(uow: UnitOfWork, exc: BaseException, quantities: Mapping[int, int],
                   names: Mapping[int, str]) -> None:
    """After a failed strict pipeline: roll back and raise OutOfStock if a guard failed; else return."""
    if getattr(exc, "sqlstate", None) != _DIVISION_BY_ZERO:
        return
    uow.session.rollback()
    short = next(iter(sorted(quantities)))
    for sku_id in sorted(quantities):
        if stock_of(uow, sku_id) < quantities[sku_id]:
            short = sku_id
            break
    raise OutOfStock(short, names.get(short, ""), quantities[short], stock_of(uow, short)) from None


def decremented(uow: UnitOfWork, sent: Decrements, quantities: Mapping[int, int],
                names: Mapping[int, str]) -> dict[int, int]:
    """Remaining stock per SKU from `send_decrements`; OutOfStock for the first short SKU (not strict)."""
    remaining: dict[int, int] = {}
    for sku_id, cur in sent:
        left = cur.fetchone()[0]
        if left is None:
            raise OutOfStock(sku_id, names.get(sku_id, ""), quantities[sku_id], stock_of(uow, sku_id))
        remaining[sku_id] = int(left)
    for sku_id, left in remaining.items():
        loaded = uow.session.identity_map.get(uow.session.identity_key(Sku, sku_id))  # type: ignore[call-overload]
        if loaded is not None:
            set_committed_value(loaded, "stock", left)
    return remaining


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
