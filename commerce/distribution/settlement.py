"""Settlement: one batch per period, set-based SQL, idempotent.

A batch is keyed by the period it is run in (`weekly:2026-W48`, `monthly:2026-11`,
China time); the unique key means running the same period twice settles nothing
twice.  The work is three statements whatever the volume:

1. UPDATE commission_entries SET state='settled', settlement_id=:batch WHERE state='available'
2. INSERT INTO settlement_statements SELECT … GROUP BY distributor_id   (a statement per distributor)
3. UPDATE settlement_batches SET totals = (SELECT aggregates FROM the statements)

Monthly batches first add the team rewards of the previous month (if enabled),
so they are settled in the same batch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, insert, literal, select, update

from commerce.clock import CHINA_TZ, now
from commerce.db import UnitOfWork
from commerce.distribution.ledger_model import (
    CommissionEntry,
    EntryReason,
    EntryState,
    SettlementBatch,
    SettlementStatement,
)
from commerce.distribution.policy import DistributionPolicy
from commerce.errors import InvalidInput

KINDS = ("weekly", "monthly")
TeamRewarder = Callable[[UnitOfWork, DistributionPolicy, datetime], int]


@dataclass(frozen=True)
class SettlementResult:
    batch_id: int
    period_key: str
    created: bool
    entry_count: int
    distributor_count: int
    total_fen: int


def period_key(kind: str, at: datetime | None = None) -> str:
    if kind not in KINDS:
        raise InvalidInput("kind", f"settlement period must be one of {KINDS}")
    local = (at or now()).astimezone(CHINA_TZ)
    if kind == "weekly":
        year, week, _ = local.isocalendar()
        return f"weekly:{year}-W{week:02d}"
    return f"monthly:{local.year}-{local.month:02d}"


def _result(batch: SettlementBatch, created: bool) -> SettlementResult:
    return SettlementResult(batch.id, batch.period_key, created, batch.entry_count, batch.distributor_count,
                            int(batch.total_fen))


def _flip_available(uow: UnitOfWork, batch_id: int) -> None:
    uow.session.execute(
        update(CommissionEntry)
        .where(CommissionEntry.state == EntryState.AVAILABLE)
        .values(state=EntryState.SETTLED, settlement_id=batch_id)
        .execution_options(synchronize_session=False)
    )


def _sum_if(reasons: list[EntryReason]):  # type: ignore[no-untyped-def]
    return func.coalesce(func.sum(case((CommissionEntry.reason.in_(reasons), CommissionEntry.amount_fen), else_=0)), 0)


def _write_statements(uow: UnitOfWork, batch_id: int) -> None:
    agg = (
        select(
            literal(batch_id),
            CommissionEntry.distributor_id,
            func.count(),
            _sum_if([EntryReason.COMMISSION]),
            _sum_if([EntryReason.CLAWBACK, EntryReason.FORFEIT]),
            _sum_if([EntryReason.TEAM_REWARD]),
            func.sum(CommissionEntry.amount_fen),
        )
        .where(CommissionEntry.settlement_id == batch_id)
        .group_by(CommissionEntry.distributor_id)
    )
    s = SettlementStatement
    cols = ["batch_id", "distributor_id", "entry_count", "commission_fen", "clawback_fen", "reward_fen", "total_fen"]
    uow.session.execute(insert(s).from_select(cols, agg))
    uow.session.execute(
        update(SettlementBatch)
        .where(SettlementBatch.id == batch_id)
        .values(
            entry_count=select(func.coalesce(func.sum(s.entry_count), 0)).where(s.batch_id == batch_id)
            .scalar_subquery(),
            distributor_count=select(func.count()).where(s.batch_id == batch_id).scalar_subquery(),
            total_fen=select(func.coalesce(func.sum(s.total_fen), 0)).where(s.batch_id == batch_id)
            .scalar_subquery(),
        )
        .execution_options(synchronize_session=False)
    )


def settle(
    uow: UnitOfWork,
    kind: str,
    policy: DistributionPolicy,
    *,
    key: str = "",
    team_rewarder: TeamRewarder | None = None,
) -> SettlementResult:
    """Settle everything available into this period's batch; a second run of the period is a no-op."""
    key = key or period_key(kind)
    existing = uow.session.scalar(select(SettlementBatch).where(SettlementBatch.period_key == key))
    if existing is not None:
        return _result(existing, created=False)
    if kind == "monthly" and team_rewarder is not None and policy.team_rewards_enabled:
        team_rewarder(uow, policy, now())
    batch = SettlementBatch(period_key=key, kind=kind)
    uow.session.add(batch)
    uow.session.flush()
    _flip_available(uow, batch.id)
    _write_statements(uow, batch.id)
    uow.session.refresh(batch)
    return _result(batch, created=True)


def statements_for(uow: UnitOfWork, distributor_id: int, limit: int = 12) -> list[tuple[str, SettlementStatement]]:
    rows = uow.session.execute(
        select(SettlementBatch.period_key, SettlementStatement)
        .join(SettlementBatch, SettlementBatch.id == SettlementStatement.batch_id)
        .where(SettlementStatement.distributor_id == distributor_id)
        .order_by(SettlementStatement.id.desc())
        .limit(limit)
    ).all()
    return [(r[0], r[1]) for r in rows]
