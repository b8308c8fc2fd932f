"""Distributors, invitations, referral bindings and referral visits.

A distributor (推广员) is a customer with a referral code.  Joining is always free:
`join_fee_fen` exists only so the compliance report can prove it, and a CHECK
constraint keeps it at 0.  Personal data from the application form is encrypted.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from commerce.clock import now
from commerce.db import Base, BigId, IdMixin, TimestampMixin
from commerce.errors import IllegalTransition
from commerce.privacy.crypto import EncryptedString


class DistributorStatus(StrEnum):
    APPLIED = "applied"
    ACTIVE = "active"
    REJECTED = "rejected"
    SUSPENDED = "suspended"


TRANSITIONS: dict[DistributorStatus, frozenset[DistributorStatus]] = {
    DistributorStatus.APPLIED: frozenset({DistributorStatus.ACTIVE, DistributorStatus.REJECTED}),
    DistributorStatus.REJECTED: frozenset({DistributorStatus.APPLIED}),
    DistributorStatus.ACTIVE: frozenset({DistributorStatus.SUSPENDED}),
    DistributorStatus.SUSPENDED: frozenset({DistributorStatus.ACTIVE}),
}


class Distributor(IdMixin, TimestampMixin, Base):
    __tablename__ = "distributors"
    __table_args__ = (CheckConstraint("join_fee_fen = 0", name="joining_is_free"),)

    customer_id: Mapped[int] = mapped_column(BigId, ForeignKey("customers.id"), unique=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=DistributorStatus.APPLIED, index=True)
    grade: Mapped[str] = mapped_column(String(32), default="")
    real_name: Mapped[str | None] = mapped_column(EncryptedString, nullable=True)
    phone: Mapped[str | None] = mapped_column(EncryptedString, nullable=True)
    consent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # WeChat Pay checks the payee's real name on transfers from ¥2,000: collected by chat with its own
    # consent (PIPL 23: given to WeChat Pay), kept for the next one, erased with the rest
    payout_real_name: Mapped[str | None] = mapped_column(EncryptedString, nullable=True)
    payout_name_consent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    applied_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    suspended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    invitation_code: Mapped[str] = mapped_column(String(32), default="")
    review_note: Mapped[str] = mapped_column(String(255), default="")
    join_fee_fen: Mapped[int] = mapped_column(Integer, default=0)
    # bumped by every balance-changing write: the per-distributor row lock for the ledger
    ledger_seq: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def is_active(self) -> bool:
        return self.status == DistributorStatus.ACTIVE

    def transition_to(self, target: DistributorStatus) -> None:
        current = DistributorStatus(self.status)
        if target not in TRANSITIONS[current]:
            raise IllegalTransition("distributor", current, target)
        self.status = target
        at = now()
        if target == DistributorStatus.ACTIVE and self.approved_at is None:
            self.approved_at = at
        if target == DistributorStatus.SUSPENDED:
            self.suspended_at = at
        if target == DistributorStatus.ACTIVE:
            self.suspended_at = None


class Invitation(IdMixin, Base):
    """A merchant-issued invitation code (invite mode).  Free; optionally single-use."""

    __tablename__ = "distributor_invitations"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    max_uses: Mapped[int] = mapped_column(Integer, default=1)
    used: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(64), default="merchant")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class BindingSource(StrEnum):
    QR_SUBSCRIBE = "qr_subscribe"  # new follower scanned a parametric QR
    QR_SCAN = "qr_scan"  # existing follower scanned
    LINK = "link"  # shared product link /p/{id}?ref=code
    CHAT = "chat"  # typed a code in chat


class ReferralBinding(IdMixin, Base):
    """Who a customer is bound to, since when, from where.  Ended rows are kept (history)."""

    __tablename__ = "referral_bindings"

    customer_id: Mapped[int] = mapped_column(BigId, ForeignKey("customers.id"), index=True)
    distributor_id: Mapped[int] = mapped_column(BigId, ForeignKey("distributors.id"), index=True)
    source: Mapped[str] = mapped_column(String(16))
    scene: Mapped[str] = mapped_column(String(64), default="")
    product_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    bound_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True, index=True)
    ended_reason: Mapped[str] = mapped_column(String(32), default="")


class VisitOutcome(StrEnum):
    BOUND = "bound"
    KEPT_EXISTING = "kept_existing"
    REBOUND = "rebound"
    SELF = "self"
    CYCLE = "cycle"


class ReferralVisit(IdMixin, Base):
    """Every scan or link click with a referral code, whatever its outcome (我的推广 clicks)."""

    __tablename__ = "referral_visits"

    distributor_id: Mapped[int] = mapped_column(BigId, ForeignKey("distributors.id"), index=True)
    customer_id: Mapped[int] = mapped_column(BigId, ForeignKey("customers.id"))
    source: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now, index=True)
