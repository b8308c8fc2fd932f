"""Customer: one row per openid.  Personal data columns are encrypted at rest."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from commerce.db import Base, BigId, IdMixin, TimestampMixin
from commerce.privacy.crypto import EncryptedString


class Customer(IdMixin, TimestampMixin, Base):
    __tablename__ = "customers"

    openid: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    nickname: Mapped[str] = mapped_column(String(64), default="")
    subscribed: Mapped[bool] = mapped_column(Boolean, default=True)
    member_level: Mapped[int] = mapped_column(Integer, default=0)  # 0 = 普通, 1+ = member prices apply
    # personal data: consent first, encrypted always
    consent_personal_data_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    phone: Mapped[str | None] = mapped_column(EncryptedString, nullable=True)
    real_name: Mapped[str | None] = mapped_column(EncryptedString, nullable=True)
    anonymised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    @property
    def is_member(self) -> bool:
        return self.member_level > 0


class Address(IdMixin, TimestampMixin, Base):
    """A saved receiver address (reused at the next checkout, editable)."""

    __tablename__ = "addresses"

    customer_id: Mapped[int] = mapped_column(BigId, ForeignKey("customers.id"), index=True)
    receiver_name: Mapped[str] = mapped_column(EncryptedString)
    phone: Mapped[str] = mapped_column(EncryptedString)
    province: Mapped[str] = mapped_column(String(32), default="")  # region for shipping fees (not secret)
    detail: Mapped[str] = mapped_column(EncryptedString)  # full address text
    is_default: Mapped[bool] = mapped_column(Boolean, default=True)
