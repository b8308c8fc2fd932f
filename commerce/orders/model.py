"""Order entities: the order (with price breakdown and encrypted receiver), its lines, status history
and the per-day order-number counter."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commerce.clock import now
from commerce.db import Base, BigId, IdMixin, TimestampMixin
from commerce.orders.states import OrderStatus
from commerce.privacy.crypto import EncryptedString


class Order(IdMixin, TimestampMixin, Base):
    __tablename__ = "orders"
    # (customer_id, idempotency_key) also serves lookups by customer: no index of customer_id alone — it was
    # one more index to write per checkout, and the planner picked it for the key lookup, filtering every order
    __table_args__ = (UniqueConstraint("customer_id", "idempotency_key"),)

    order_no: Mapped[str] = mapped_column(String(24), unique=True)
    customer_id: Mapped[int] = mapped_column(BigId, ForeignKey("customers.id"))
    openid: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(24), default=OrderStatus.PENDING_PAYMENT.value, index=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # price breakdown, int fen: payable = goods - discount - points + shipping
    goods_fen: Mapped[int] = mapped_column(Integer)
    discount_fen: Mapped[int] = mapped_column(Integer, default=0)
    points_fen: Mapped[int] = mapped_column(Integer, default=0)
    shipping_fen: Mapped[int] = mapped_column(Integer, default=0)
    payable_fen: Mapped[int] = mapped_column(Integer)
    paid_fen: Mapped[int] = mapped_column(Integer, default=0)
    refunded_fen: Mapped[int] = mapped_column(Integer, default=0)
    # receiver snapshot (personal data: encrypted at rest, masked in views)
    receiver_name: Mapped[str] = mapped_column(EncryptedString)
    receiver_phone: Mapped[str] = mapped_column(EncryptedString)
    receiver_province: Mapped[str] = mapped_column(String(32), default="")
    receiver_address: Mapped[str] = mapped_column(EncryptedString)
    remark: Mapped[str] = mapped_column(String(255), default="")
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True, index=True)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    transaction_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    shipped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    carrier: Mapped[str | None] = mapped_column(String(32), nullable=True)
    tracking_no: Mapped[str | None] = mapped_column(String(64), nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    cancel_reason: Mapped[str] = mapped_column(String(255), default="")
    status_before_refund: Mapped[str | None] = mapped_column(String(24), nullable=True)

    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", order_by="OrderLine.id", lazy="selectin", cascade="all, delete-orphan"
    )

    @property
    def status_enum(self) -> OrderStatus:
        return OrderStatus(self.status)


class OrderLine(IdMixin, Base):
    """A snapshot of what was bought: name, spec and price as they were at checkout."""

    __tablename__ = "order_lines"

    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"), index=True)
    sku_id: Mapped[int] = mapped_column(BigId, ForeignKey("skus.id"), index=True)
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("products.id"))
    sku_code: Mapped[str] = mapped_column(String(64), default="")
    name: Mapped[str] = mapped_column(String(200))
    spec_text: Mapped[str] = mapped_column(String(200), default="")
    product_kind: Mapped[str] = mapped_column(String(16), default="normal")
    unit_price_fen: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    subtotal_fen: Mapped[int] = mapped_column(Integer)
    # goods amount actually paid for this line (subtotal minus its share of discount and points)
    paid_fen: Mapped[int] = mapped_column(Integer)
    refunded_fen: Mapped[int] = mapped_column(Integer, default=0)
    # units refunded; units given back to stock (cancel, refund before shipping); units still counted
    # against the buyer's purchase limit (set at checkout when the SKU has one) — each moves once per unit
    refunded_qty: Mapped[int] = mapped_column(Integer, default=0)
    restocked_qty: Mapped[int] = mapped_column(Integer, default=0)
    limit_qty: Mapped[int] = mapped_column(Integer, default=0)

    order: Mapped[Order] = relationship(back_populates="lines")


class OrderStatusChange(IdMixin, Base):
    """Audit trail of transitions (who moved the order, when, why)."""

    __tablename__ = "order_status_changes"

    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"), index=True)
    from_status: Mapped[str] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(64), default="system")
    note: Mapped[str] = mapped_column(String(255), default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class OrderSequence(Base):
    """Per-day counter behind order numbers (`SY` + yyyymmdd + 6 digits)."""

    __tablename__ = "order_sequences"

    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)
