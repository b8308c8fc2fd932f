"""Ledger use cases: record commission at payment, claw back on refund, release after the freeze window.

All writes are idempotent by `idempotency_key` (a replayed pay/refund event adds
nothing).  Keys: `c:<order>:<line>:<level>` commission, `r:<refund_no>:<line>:<level>`
refund claw-back, `x:<order>:<line>:<level>` cancellation, `f:<entry id>` forfeit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from commerce.clock import now
from commerce.db import UnitOfWork
from commerce.distribution.binding import beneficiary_chain
from commerce.distribution.engine import CommissionInput, clawback_fen, compute_commission
from commerce.distribution.ledger_model import CommissionEntry, EntryReason, EntryState
from commerce.distribution.model import Distributor, DistributorStatus
from commerce.distribution.policy import DistributionPolicy, SuspendedFrozenRule


@dataclass(frozen=True)
class Balances:
    frozen_fen: int = 0
    available_fen: int = 0  # released, waiting for settlement
    withdrawable_fen: int = 0  # settled, net of withdrawals
    withdrawn_fen: int = 0  # sum of withdrawals (positive), net of reversals

    @property
    def total_fen(self) -> int:
        return self.frozen_fen + self.available_fen + self.withdrawable_fen


def lock_distributor(uow: UnitOfWork, distributor_id: int) -> None:
    """Serialise balance-changing writes per distributor (a row lock on PostgreSQL, the write lock on SQLite)."""
    uow.session.execute(
        update(Distributor)
        .where(Distributor.id == distributor_id)
        .values(ledger_seq=Distributor.ledger_seq + 1)
        .execution_options(synchronize_session=False)
    )


def existing_keys(uow: UnitOfWork, keys: Iterable[str]) -> set[str]:
    wanted = list(keys)
    if not wanted:
        return set()
    return set(uow.session.scalars(select(CommissionEntry.idempotency_key).where(
        CommissionEntry.idempotency_key.in_(wanted))))


def _insert_ignoring_duplicates(uow: UnitOfWork) -> Any:
    table = CommissionEntry.__table__
    insert = pg_insert if uow.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    return insert(table).on_conflict_do_nothing(index_elements=["idempotency_key"]).returning(
        table.c.idempotency_key)


def add_entries(uow: UnitOfWork, entries: list[CommissionEntry]) -> list[CommissionEntry]:
    """Insert the entries whose idempotency key is new (one INSERT … ON CONFLICT DO NOTHING per
    column set); return those inserted.  The entries themselves stay transient."""
    groups: dict[frozenset[str], list[dict[str, Any]]] = {}
    for e in entries:
        row = {c.key: getattr(e, c.key) for c in CommissionEntry.__table__.columns if getattr(e, c.key) is not None}
        groups.setdefault(frozenset(row), []).append(row)
    inserted: set[str] = set()
    for rows in groups.values():
        inserted.update(uow.session.scalars(_insert_ignoring_duplicates(uow), rows))
    return [e for e in entries if e.idempotency_key in inserted]


def record_commission(uow: UnitOfWork, order: CommissionInput, policy: DistributionPolicy) -> list[CommissionEntry]:
    """Pending entries for every level of every line of a paid order (idempotent)."""
    if not policy.enabled:
        return []
    chain = beneficiary_chain(uow, order.buyer_customer_id, policy)
    shares = compute_commission(order, chain, policy)
    entries = [
        CommissionEntry(
            distributor_id=s.distributor_id, amount_fen=s.amount_fen, state=EntryState.PENDING,
            reason=EntryReason.COMMISSION, idempotency_key=f"c:{order.order_id}:{s.line_id}:{s.level}",
            level=s.level, order_id=order.order_id, order_no=order.order_no, order_line_id=s.line_id,
            buyer_customer_id=order.buyer_customer_id, base_fen=s.base_fen, rate_bp=s.rate_bp,
        )
        for s in shares
    ]
    return add_entries(uow, entries)


def mark_delivered(uow: UnitOfWork, order_id: int, policy: DistributionPolicy) -> int:
    """Start the freeze window: pending entries of the order release `freeze_days` after delivery."""
    result = uow.session.execute(
        update(CommissionEntry)
        .where(CommissionEntry.order_id == order_id, CommissionEntry.state == EntryState.PENDING,
               CommissionEntry.release_at.is_(None))
        .values(release_at=now() + timedelta(days=policy.freeze_days))
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def release_frozen(uow: UnitOfWork, policy: DistributionPolicy) -> int:
    """pending → available for every entry whose freeze window has closed (one UPDATE)."""
    stmt = update(CommissionEntry).where(
        CommissionEntry.state == EntryState.PENDING, CommissionEntry.release_at <= now()
    )
    if policy.suspended_frozen == SuspendedFrozenRule.HOLD:
        held = select(Distributor.id).where(Distributor.status == DistributorStatus.SUSPENDED)
        stmt = stmt.where(CommissionEntry.distributor_id.not_in(held))
    result = uow.session.execute(
        stmt.values(state=EntryState.AVAILABLE).execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _commission_entries(uow: UnitOfWork, order_id: int) -> list[CommissionEntry]:
    return list(uow.session.scalars(
        select(CommissionEntry).where(
            CommissionEntry.order_id == order_id, CommissionEntry.reason == EntryReason.COMMISSION
        ).order_by(CommissionEntry.id)
    ))


def _refunded_base(uow: UnitOfWork, entry: CommissionEntry) -> int:
    """Base already refunded for this entry's line (sum over earlier claw-backs of the same level)."""
    return int(uow.session.scalar(
        select(func.coalesce(func.sum(CommissionEntry.base_fen), 0)).where(
            CommissionEntry.order_line_id == entry.order_line_id,
            CommissionEntry.distributor_id == entry.distributor_id,
            CommissionEntry.level == entry.level,
            CommissionEntry.reason.in_([EntryReason.CLAWBACK, EntryReason.FORFEIT]),
        )
    ) or 0)


def _clawback_for(entry: CommissionEntry, key: str, refund_fen: int, before: int, ref: str) -> CommissionEntry | None:
    amount = clawback_fen(entry.amount_fen, entry.base_fen, before, refund_fen)
    refunded = min(before + refund_fen, entry.base_fen) - min(before, entry.base_fen)
    if amount <= 0 and refunded <= 0:
        return None
    state = EntryState.AVAILABLE if entry.state == EntryState.SETTLED else entry.state
    return CommissionEntry(
        distributor_id=entry.distributor_id, amount_fen=-amount, state=state, reason=EntryReason.CLAWBACK,
        idempotency_key=key, level=entry.level, order_id=entry.order_id, order_no=entry.order_no,
        order_line_id=entry.order_line_id, buyer_customer_id=entry.buyer_customer_id, base_fen=refunded,
        rate_bp=entry.rate_bp, ref=ref, release_at=entry.release_at,
    )


def claw_back(
    uow: UnitOfWork, order_id: int, refund_no: str, lines: Iterable[tuple[int, int]]
) -> list[CommissionEntry]:
    """Negative entries proportional to the goods refunded on each line (idempotent per refund_no)."""
    refunds = dict(lines)
    out: list[CommissionEntry] = []
    for entry in _commission_entries(uow, order_id):
        refund_fen = refunds.get(entry.order_line_id or 0, 0)
        if refund_fen <= 0:
            continue
        key = f"r:{refund_no}:{entry.order_line_id}:{entry.level}"
        if existing_keys(uow, [key]):
            continue
        neg = _clawback_for(entry, key, refund_fen, _refunded_base(uow, entry), refund_no)
        if neg is not None:
            out.extend(add_entries(uow, [neg]))
    return out


def claw_back_order(uow: UnitOfWork, order_id: int, ref: str) -> list[CommissionEntry]:
    """Take back whatever commission of the order has not been clawed back yet (cancellation)."""
    out: list[CommissionEntry] = []
    for entry in _commission_entries(uow, order_id):
        before = _refunded_base(uow, entry)
        neg = _clawback_for(entry, f"x:{order_id}:{entry.order_line_id}:{entry.level}",
                            entry.base_fen - before, before, ref)
        if neg is not None:
            out.extend(add_entries(uow, [neg]))
    return out


def claw_back_forfeit(uow: UnitOfWork, distributor_id: int) -> list[CommissionEntry]:
    """Forfeit a suspended distributor's frozen commission: one negative pending entry per pending entry."""
    pending = uow.session.scalars(select(CommissionEntry).where(
        CommissionEntry.distributor_id == distributor_id, CommissionEntry.state == EntryState.PENDING,
        CommissionEntry.reason == EntryReason.COMMISSION))
    forfeits = []
    for e in pending:
        before = _refunded_base(uow, e)
        neg = _clawback_for(e, f"f:{e.id}", e.base_fen - before, before, "suspended")
        if neg is not None:
            neg.reason = EntryReason.FORFEIT
            forfeits.append(neg)
    return add_entries(uow, forfeits)


def balances(uow: UnitOfWork, distributor_id: int) -> Balances:
    """Derived from entries, one GROUP BY."""
    withdrawn = case(
        (CommissionEntry.reason.in_([EntryReason.WITHDRAWAL, EntryReason.PAYOUT_REVERSAL]),
         -CommissionEntry.amount_fen), else_=0)
    rows = uow.session.execute(
        select(CommissionEntry.state, func.sum(CommissionEntry.amount_fen), func.sum(withdrawn))
        .where(CommissionEntry.distributor_id == distributor_id)
        .group_by(CommissionEntry.state)
    ).all()
    by_state: dict[str, Any] = {r[0]: r for r in rows}

    def amt(state: EntryState) -> int:
        return int(by_state[state][1]) if state in by_state else 0

    out = sum(int(r[2] or 0) for r in rows)
    return Balances(amt(EntryState.PENDING), amt(EntryState.AVAILABLE), amt(EntryState.SETTLED), out)


def recent_entries(uow: UnitOfWork, distributor_id: int, limit: int = 10) -> list[CommissionEntry]:
    return list(uow.session.scalars(
        select(CommissionEntry).where(CommissionEntry.distributor_id == distributor_id)
        .order_by(CommissionEntry.id.desc()).limit(limit)
    ))
