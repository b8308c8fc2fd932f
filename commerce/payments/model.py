"""Payment and refund records (one payment per order; any number of refunds)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from commerce.db import Base, BigId, IdMixin, TimestampMixin


class PaymentStatus(StrEnum):
    CREATED = "created"  # prepay order created, waiting for the payer
    SUCCEEDED = "succeeded"
    ORPHANED = "orphaned"  # money arrived for an order already cancelled: refund it by hand


class RefundStatus(StrEnum):
    PROCESSING = "processing"
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # CLOSED or ABNORMAL at the provider


class Payment(IdMixin, TimestampMixin, Base):
    __tablename__ = "payments"

    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"), unique=True)
    order_no: Mapped[str] = mapped_column(String(24), index=True)
    amount_fen: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=PaymentStatus.CREATED.value)
    prepay_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    transaction_id: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    payer_openid: Mapped[str | None] = mapped_column(String(64), nullable=True)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Refund(IdMixin, TimestampMixin, Base):
    __tablename__ = "refunds"

    refund_no: Mapped[str] = mapped_column(String(32), unique=True)
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"), index=True)
    order_no: Mapped[str] = mapped_column(String(24))
    amount_fen: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(80), default="")
    status: Mapped[str] = mapped_column(String(16), default=RefundStatus.PROCESSING.value)
    # goods fen refunded per order line id (as strings: JSON keys); shipping is the rest
    lines: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    # units refunded per order line id (JSON keys are strings): these stop counting against purchase
    # limits and, before shipping, go back to stock; empty = money only (a full refund covers every unit)
    quantities: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    full: Mapped[bool] = mapped_column(default=False)
    refund_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    succeeded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
