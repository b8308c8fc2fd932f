"""PurchaseCounter: how many units of a SKU a customer holds against its per-user purchase limit (限购).

One row per (customer, SKU), created at the first limited checkout.  Checkout raises
`bought` with one conditional upsert (`limits.count_purchases`), so two simultaneous
checkouts by the same customer cannot together pass the limit; cancelling,
timing out or refunding the units lowers it again (`limits.release_purchases`),
once per unit — the order line remembers how many of its units are still counted
(`OrderLine.limit_qty`).
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from commerce.db import Base, BigId


class PurchaseCounter(Base):
    __tablename__ = "purchase_counters"
    __table_args__ = (CheckConstraint("bought >= 0", name="bought_not_negative"),)

    customer_id: Mapped[int] = mapped_column(BigId, ForeignKey("customers.id"), primary_key=True)
    sku_id: Mapped[int] = mapped_column(BigId, ForeignKey("skus.id"), primary_key=True)
    bought: Mapped[int] = mapped_column(Integer, default=0)
