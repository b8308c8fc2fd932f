"""Settlement: one batch per period, set-based SQL, idempotent.

A batch is keyed by the period it is run in (`weekly:2026-W48`, `monthly:2026-11`,
China time); the unique key means running the same period twice settles nothing
twice.  The work is set-based whatever the volume:

1. UPDATE commission_entries SET state='settled', settlement_id=:batch WHERE state='available'
2. INSERT INTO settlement_statements SELECT … GROUP BY distributor_id   (a statement per distributor)
   — on PostgreSQL 1+2 are ONE statement: the UPDATE … RETURNING is a CTE the INSERT … SELECT
   aggregates, so the million flipped rows are read once; SQLite runs them as two.
3. UPDATE settlement_batches SET totals = (SELECT aggregates FROM the statements)

Monthly batches first add the team rewards of the previous month (if enabled),
so they are settled in the same batch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, insert, literal, select, update

from commerce.clock import CHINA_TZ, now
from commerce.db import UnitOfWork
from commerce.distribution.grades import refresh_grades
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


def _flip_stmt(batch_id: int) -> Any:
    return (
        update(CommissionEntry)
        .where(CommissionEntry.state == EntryState.AVAILABLE)
        .values(state=EntryState.SETTLED, settlement_id=batch_id)
        .execution_options(synchronize_session=False)
    )


def _aggregate(batch_id: int, source: Any) -> Any:
    """Per-distributor sums over `source` (the flipped rows) — the statement's SELECT."""
    c = source.c

    def sum_if(reasons: list[EntryReason]) -> Any:
        return func.coalesce(func.sum(case((c.reason.in_(reasons), c.amount_fen), else_=0)), 0)

    return select(
        literal(batch_id), c.distributor_id, func.count(), sum_if([EntryReason.COMMISSION]),
        sum_if([EntryReason.CLAWBACK, EntryReason.FORFEIT]), sum_if([EntryReason.TEAM_REWARD]),
        func.sum(c.amount_fen),
    ).group_by(c.distributor_id)


STATEMENT_COLS = ["batch_id", "distributor_id", "entry_count", "commission_fen", "clawback_fen", "reward_fen",
                  "total_fen"]


def _flip_and_aggregate(uow: UnitOfWork, batch_id: int) -> None:
    """PostgreSQL: one statement (UPDATE … RETURNING feeding INSERT … SELECT); elsewhere: two."""
    flip = _flip_stmt(batch_id)
    if uow.session.get_bind().dialect.name == "postgresql":
        flipped = flip.returning(CommissionEntry.distributor_id, CommissionEntry.amount_fen,
                                 CommissionEntry.reason).cte("flipped")
        uow.session.execute(insert(SettlementStatement).from_select(STATEMENT_COLS, _aggregate(batch_id, flipped)))
        return
    uow.session.execute(flip)
    settled = select(CommissionEntry.distributor_id, CommissionEntry.amount_fen, CommissionEntry.reason).where(
        CommissionEntry.settlement_id == batch_id).subquery("settled")
    uow.session.execute(insert(SettlementStatement).from_select(STATEMENT_COLS, _aggregate(batch_id, settled)))


def _total_batch(uow: UnitOfWork, batch_id: int) -> None:
    s = SettlementStatement
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
    _flip_and_aggregate(uow, batch.id)
    _total_batch(uow, batch.id)
    refresh_grades(uow, policy)
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
