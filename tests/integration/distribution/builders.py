"""Builders for distribution integration tests: distributors with bound referrals, paid orders."""

from __future__ import annotations

import itertools

from commerce.db import Database, UnitOfWork
from commerce.distribution import recruitment
from commerce.distribution.binding import bind_referral
from commerce.distribution.engine import CommissionInput, CommissionLine
from commerce.distribution.ledger import record_commission
from commerce.distribution.model import BindingSource, Distributor
from commerce.distribution.policy import DistributionPolicy

POLICY = DistributionPolicy(levels_bp=(1000, 500))
_order_ids = itertools.count(1000)


def make_distributor(uow: UnitOfWork, openid: str, *, parent_code: str = "",
                     policy: DistributionPolicy = POLICY) -> Distributor:
    if parent_code:
        bind_referral(uow, openid, parent_code, BindingSource.QR_SUBSCRIBE, policy)
    return recruitment.apply(uow, openid, policy)


def chain(db: Database, *openids: str, policy: DistributionPolicy = POLICY) -> list[Distributor]:
    """openids[0] at the top; each next one referred by the previous one."""
    out: list[Distributor] = []
    with db.uow() as uow:
        for oid in openids:
            out.append(make_distributor(uow, oid, parent_code=out[-1].code if out else "", policy=policy))
        uow.commit()
    return out


def pay(uow: UnitOfWork, buyer_customer_id: int, *paid_fen: int, order_id: int | None = None,
        policy: DistributionPolicy = POLICY) -> CommissionInput:
    oid = order_id or next(_order_ids)
    order = CommissionInput(
        order_id=oid, buyer_customer_id=buyer_customer_id, order_no=f"NO{oid}",
        lines=tuple(CommissionLine(oid * 10 + i, 1, "食品", 1, fen) for i, fen in enumerate(paid_fen)),
    )
    record_commission(uow, order, policy)
    return order


def settled_balance(db: Database, *paid_fen: int, policy: DistributionPolicy = POLICY) -> Distributor:
    """A distributor `oB` (referred by `oA`) with 10% of `paid_fen` settled and withdrawable."""
    from commerce import clock
    from commerce.distribution.ledger import mark_delivered, release_frozen
    from commerce.distribution.settlement import settle

    _, b, c = chain(db, "oA", "oB", "oC", policy=policy)
    with db.uow() as uow:
        order = pay(uow, c.customer_id, *paid_fen, policy=policy)
        mark_delivered(uow, order.order_id, policy)
        clock.advance(days=policy.freeze_days + 1)
        release_frozen(uow, policy)
        settle(uow, "weekly", policy, key=f"test:{order.order_id}")
        uow.commit()
    return b
