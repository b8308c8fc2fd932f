"""AfterSaleRequest: one refund or return request for (some lines of) an order."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from commerce.aftersale.states import AfterSaleStatus
from commerce.db import Base, BigId, IdMixin, TimestampMixin


class AfterSaleRequest(IdMixin, TimestampMixin, Base):
    __tablename__ = "after_sale_requests"

    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"), index=True)
    order_no: Mapped[str] = mapped_column(String(24), index=True)
    openid: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=AfterSaleStatus.REQUESTED.value, index=True)
    whole_order: Mapped[bool] = mapped_column(Boolean, default=True)
    amount_fen: Mapped[int] = mapped_column(Integer)
    # goods fen per order line id (JSON keys are strings); empty = the whole order
    lines: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(String(80), default="")
    evidence: Mapped[str] = mapped_column(String(500), default="")  # the buyer's own words
    refund_no: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    merchant_note: Mapped[str] = mapped_column(String(255), default="")
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    received_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    refunded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
