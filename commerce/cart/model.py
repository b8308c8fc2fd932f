"""Cart lines, persisted per customer (a cart survives restarts and moves between devices)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from commerce.db import Base, BigId, IdMixin, TimestampMixin


class CartItem(IdMixin, TimestampMixin, Base):
    __tablename__ = "cart_items"
    __table_args__ = (UniqueConstraint("customer_id", "sku_id"),)

    customer_id: Mapped[int] = mapped_column(BigId, ForeignKey("customers.id"), index=True)
    sku_id: Mapped[int] = mapped_column(BigId, ForeignKey("skus.id"))
    quantity: Mapped[int] = mapped_column(Integer)
