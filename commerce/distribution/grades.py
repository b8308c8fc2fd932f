"""Distributor grades (初级/高级): earned by the distributor's OWN sales, never by recruiting.

Own sales = goods sold through the distributor's own links and QR codes (the base
of their level-1 commission, net of refunds) that are past the after-sale window
(released or settled).  Recomputed set-wise at settlement; a grade only goes up.
"""

from __future__ import annotations

from sqlalchemy import case, func, select

from commerce.db import UnitOfWork
from commerce.distribution.ledger_model import CommissionEntry, EntryReason, EntryState
from commerce.distribution.model import Distributor
from commerce.distribution.policy import DistributionPolicy, Grade


def grade_for(own_sales_fen: int, grades: tuple[Grade, ...]) -> Grade | None:
    reached = [g for g in grades if own_sales_fen >= g.min_own_sales_fen]
    return max(reached, key=lambda g: g.min_own_sales_fen, default=None)


def own_sales(uow: UnitOfWork) -> dict[int, int]:
    signed = case((CommissionEntry.reason == EntryReason.COMMISSION, CommissionEntry.base_fen),
                  else_=-CommissionEntry.base_fen)
    rows = uow.session.execute(
        select(CommissionEntry.distributor_id, func.sum(signed))
        .where(CommissionEntry.level == 1, CommissionEntry.state != EntryState.PENDING,
               CommissionEntry.reason.in_([EntryReason.COMMISSION, EntryReason.CLAWBACK, EntryReason.FORFEIT]))
        .group_by(CommissionEntry.distributor_id)
    ).tuples().all()
    return {int(d): int(s or 0) for d, s in rows}


def refresh_grades(uow: UnitOfWork, policy: DistributionPolicy) -> int:
    """Upgrade every distributor whose own sales reached a higher grade; returns how many changed."""
    if not policy.grades:
        return 0
    rank = {g.name: g.min_own_sales_fen for g in policy.grades}
    sales = own_sales(uow)
    changed = 0
    for d in uow.session.scalars(select(Distributor).where(Distributor.id.in_(list(sales)))):
        target = grade_for(sales[d.id], policy.grades)
        if target is not None and rank[target.name] > rank.get(d.grade, -1):
            d.grade = target.name
            changed += 1
    return changed
