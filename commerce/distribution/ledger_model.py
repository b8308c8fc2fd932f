"""The commission ledger: append-only entries, settlement batches and statements.

An entry's amount, reason, order reference and idempotency key never change;
only its `state` moves forward (pending → available → settled) and settlement
stamps `settlement_id`.  Balances are sums of entries, never stored.

- pending (frozen): recorded at payment; `release_at` is set at delivery
  (delivery + freeze_days); `release_frozen` flips it to available.
- available: released, waiting for the next settlement batch.
- settled: in a batch; the withdrawable balance is the sum of settled entries,
  which includes withdrawals (negative) and failed-payout reversals (positive).
A claw-back is a negative entry in the state of what it claws back; when that
was already settled, it is written `available` so it offsets the next batch.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from commerce.clock import now
from commerce.db import Base, BigId, IdMixin


class EntryState(StrEnum):
    PENDING = "pending"
    AVAILABLE = "available"
    SETTLED = "settled"


class EntryReason(StrEnum):
    COMMISSION = "commission"
    CLAWBACK = "clawback"
    TEAM_REWARD = "team_reward"
    WITHDRAWAL = "withdrawal"
    PAYOUT_REVERSAL = "payout_reversal"
    FORFEIT = "forfeit"  # frozen commission of a suspended distributor (rule = forfeit)


class CommissionEntry(IdMixin, Base):
    __tablename__ = "commission_entries"
    __table_args__ = (
        Index("ix_commission_entries_state_release", "state", "release_at"),
        Index("ix_commission_entries_dist_state", "distributor_id", "state"),
    )

    distributor_id: Mapped[int] = mapped_column(BigId, ForeignKey("distributors.id"))
    amount_fen: Mapped[int] = mapped_column(Integer)  # signed
    state: Mapped[str] = mapped_column(String(16), default=EntryState.PENDING)
    reason: Mapped[str] = mapped_column(String(24))
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    level: Mapped[int] = mapped_column(Integer, default=0)  # depth from the buyer; 0 = not a reward
    order_id: Mapped[int | None] = mapped_column(BigId, nullable=True, index=True)
    order_no: Mapped[str] = mapped_column(String(40), default="")
    order_line_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    buyer_customer_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    base_fen: Mapped[int] = mapped_column(Integer, default=0)  # commission base (or refunded base)
    rate_bp: Mapped[int] = mapped_column(Integer, default=0)
    ref: Mapped[str] = mapped_column(String(64), default="")  # refund no, payout no, period key…
    note: Mapped[str] = mapped_column(String(255), default="")
    release_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    settlement_id: Mapped[int | None] = mapped_column(BigId, nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class SettlementBatch(IdMixin, Base):
    """One per period (`weekly:2026-W47`, `monthly:2026-11`); the unique key makes settling idempotent."""

    __tablename__ = "settlement_batches"

    period_key: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(8))
    entry_count: Mapped[int] = mapped_column(Integer, default=0)
    distributor_count: Mapped[int] = mapped_column(Integer, default=0)
    total_fen: Mapped[int] = mapped_column(BigId, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class SettlementStatement(IdMixin, Base):
    """What one distributor got in one batch (对账单)."""

    __tablename__ = "settlement_statements"
    __table_args__ = (UniqueConstraint("batch_id", "distributor_id"),)

    batch_id: Mapped[int] = mapped_column(BigId, ForeignKey("settlement_batches.id"), index=True)
    distributor_id: Mapped[int] = mapped_column(BigId, ForeignKey("distributors.id"), index=True)
    entry_count: Mapped[int] = mapped_column(Integer)
    commission_fen: Mapped[int] = mapped_column(BigId)
    clawback_fen: Mapped[int] = mapped_column(BigId)
    reward_fen: Mapped[int] = mapped_column(BigId)
    total_fen: Mapped[int] = mapped_column(BigId)
