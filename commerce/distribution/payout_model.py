"""Payouts (提现) and distributors' bank accounts.

States: requested → approved (auto under a threshold, else the merchant) →
processing → paid | failed (money back to the balance, with the reason).
A requested payout can also be rejected by the merchant (→ failed, money back).
Bank details are sensitive personal information (PIPL art. 28): encrypted, and
collected only with a separate consent recorded in `consent_at`.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from commerce.clock import now
from commerce.db import Base, BigId, IdMixin, TimestampMixin
from commerce.errors import IllegalTransition
from commerce.privacy.crypto import EncryptedString


class PayoutState(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    PROCESSING = "processing"
    PAID = "paid"
    FAILED = "failed"


class PayoutMethod(StrEnum):
    WECHAT = "wechat"  # 微信零钱 via merchant transfer (transfer-bills)
    BANK = "bank"  # bank card via an exported batch file


PAYOUT_TRANSITIONS: dict[PayoutState, frozenset[PayoutState]] = {
    PayoutState.REQUESTED: frozenset({PayoutState.APPROVED, PayoutState.FAILED}),
    PayoutState.APPROVED: frozenset({PayoutState.PROCESSING, PayoutState.FAILED}),
    PayoutState.PROCESSING: frozenset({PayoutState.PAID, PayoutState.FAILED}),
    PayoutState.PAID: frozenset(),
    PayoutState.FAILED: frozenset(),
}


class Payout(IdMixin, TimestampMixin, Base):
    __tablename__ = "payouts"

    payout_no: Mapped[str] = mapped_column(String(32), unique=True)  # also the transfer's out_bill_no
    distributor_id: Mapped[int] = mapped_column(BigId, ForeignKey("distributors.id"), index=True)
    openid: Mapped[str] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(8))
    amount_fen: Mapped[int] = mapped_column(Integer)  # debited from the balance
    fee_fen: Mapped[int] = mapped_column(Integer, default=0)
    net_fen: Mapped[int] = mapped_column(Integer)  # what the distributor receives
    state: Mapped[str] = mapped_column(String(16), default=PayoutState.REQUESTED, index=True)
    reason: Mapped[str] = mapped_column(String(255), default="")  # failure / rejection reason
    approved_by: Mapped[str] = mapped_column(String(64), default="")
    transfer_bill_no: Mapped[str] = mapped_column(String(64), default="")
    package_info: Mapped[str] = mapped_column(String(512), default="")  # for the user's confirmation
    bank_account_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    def transition_to(self, target: PayoutState) -> None:
        current = PayoutState(self.state)
        if target not in PAYOUT_TRANSITIONS[current]:
            raise IllegalTransition("payout", current, target)
        self.state = target
        if target in (PayoutState.PAID, PayoutState.FAILED):
            self.finished_at = now()


class BankAccount(IdMixin, TimestampMixin, Base):
    __tablename__ = "distributor_bank_accounts"

    distributor_id: Mapped[int] = mapped_column(BigId, ForeignKey("distributors.id"), index=True)
    holder_name: Mapped[str] = mapped_column(EncryptedString)
    card_no: Mapped[str] = mapped_column(EncryptedString)
    bank_name: Mapped[str] = mapped_column(EncryptedString)
    consent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # separate consent (PIPL 29)
    active: Mapped[bool] = mapped_column(default=True)
