"""Per-customer purchase limits (限购), exact under concurrency: a counter row per (customer, SKU).

`already_bought` reads the counters (the cart's and checkout's pre-check, for the message);
the guarantee is `count_purchases`, one conditional upsert per limited SKU in the checkout's
transaction, before the stock decrement:

    INSERT INTO purchase_counters (customer_id, sku_id, bought) VALUES (:c, :s, :n)
    ON CONFLICT (customer_id, sku_id) DO UPDATE SET bought = bought + :n WHERE bought + :n <= :limit

The row lock makes two checkouts of the same customer wait for each other and the second
sees the first's units; checkouts of different customers never touch the same row.  The
PostgreSQL fast path runs the same upsert as a CTE of its write (`commerce.orders.fastpath_sql`).
Units count from the checkout while the SKU has a limit (`OrderLine.limit_qty`);
`release_purchases` gives them back when they are cancelled or refunded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import case, select, update
from sqlalchemy.dialects import postgresql, sqlite

from commerce.db import UnitOfWork
from commerce.inventory.errors import PurchaseLimitExceeded
from commerce.inventory.model import PurchaseCounter

PC = PurchaseCounter


def already_bought(uow: UnitOfWork, customer_id: int, sku_ids: Iterable[int]) -> dict[int, int]:
    """Units per SKU the customer holds against the SKU's limit (live orders, not cancelled or refunded)."""
    ids = list(set(sku_ids))
    if not ids:
        return {}
    rows = uow.session.execute(select(PC.sku_id, PC.bought).where(PC.customer_id == customer_id, PC.sku_id.in_(ids)))
    return {int(sku_id): int(bought) for sku_id, bought in rows.tuples()}


def count_purchases(uow: UnitOfWork, customer_id: int, wanted: Mapping[int, tuple[int, int]],
                    names: Mapping[int, str]) -> None:
    """Add `wanted` {sku_id: (units, limit)} to the customer's counters, in SKU id order, or raise
    PurchaseLimitExceeded (nothing counted for that SKU; the caller's transaction rolls back)."""
    dialect = postgresql if uow.session.get_bind().dialect.name == "postgresql" else sqlite
    for sku_id in sorted(wanted):
        n, limit = wanted[sku_id]
        ins = dialect.insert(PC).values(customer_id=customer_id, sku_id=sku_id, bought=n)
        stmt = ins.on_conflict_do_update(
            index_elements=[PC.customer_id, PC.sku_id], set_={"bought": PC.bought + ins.excluded.bought},
            where=PC.bought + ins.excluded.bought <= limit,
        ).returning(PC.bought)
        if n > limit or uow.session.execute(stmt).scalar() is None:
            raise exceeded(uow, customer_id, {sku_id: (n, limit)}, names)


def exceeded(uow: UnitOfWork, customer_id: int, wanted: Mapping[int, tuple[int, int]],
             names: Mapping[int, str]) -> PurchaseLimitExceeded:
    """The error to raise after counting failed: the first SKU (id order) the units do not fit."""
    held = already_bought(uow, customer_id, wanted)
    over = [sku_id for sku_id in sorted(wanted) if held.get(sku_id, 0) + wanted[sku_id][0] > wanted[sku_id][1]]
    sku_id = (over or sorted(wanted))[0]  # none over any more: a cancel just freed some — still refused
    return PurchaseLimitExceeded(sku_id, names.get(sku_id, ""), wanted[sku_id][1], held.get(sku_id, 0))


def release_purchases(uow: UnitOfWork, customer_id: int, units: Mapping[int, int]) -> None:
    """Give back {sku_id: units} of the customer's counted purchases (never below zero)."""
    for sku_id in sorted(units):
        n = units[sku_id]
        if n > 0:
            uow.session.execute(
                update(PC).where(PC.customer_id == customer_id, PC.sku_id == sku_id)
                .values(bought=case((PC.bought > n, PC.bought - n), else_=0))
                .execution_options(synchronize_session=False)
            )
