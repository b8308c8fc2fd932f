"""Catalog entities.  Prices are int fen; `original_price_fen` is a real previous price (划线价) or None."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commerce.clock import now
from commerce.db import Base, BigId, IdMixin, TimestampMixin


class Category(IdMixin, Base):
    __tablename__ = "categories"
    __table_args__ = (UniqueConstraint("path"),)

    name: Mapped[str] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(String(255))  # "食品/水果" — unique, the import key
    parent_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("categories.id"), nullable=True)
    sort_weight: Mapped[int] = mapped_column(Integer, default=0)


class Product(IdMixin, TimestampMixin, Base):
    """SPU."""

    __tablename__ = "products"
    # Search prefilter on PostgreSQL (the migration must `CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    # SQLite has no trigram index and falls back to LIKE over a small catalog.
    __table_args__ = (
        Index(
            "ix_products_search_text_trgm", "search_text",
            postgresql_using="gin", postgresql_ops={"search_text": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
    )

    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    subtitle: Mapped[str] = mapped_column(String(255), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    selling_points: Mapped[list[str]] = mapped_column(JSON, default=list)
    images: Mapped[list[str]] = mapped_column(JSON, default=list)  # paths under data_dir or URLs
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    category_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("categories.id"), nullable=True, index=True)
    on_shelf: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    sort_weight: Mapped[int] = mapped_column(Integer, default=0)
    sales_count: Mapped[int] = mapped_column(Integer, default=0)
    # kind drives commission/returns rules: "normal" | "seckill" | "points" | "service" (课程/会员卡)
    kind: Mapped[str] = mapped_column(String(16), default="normal")
    no_reason_return: Mapped[bool] = mapped_column(Boolean, default=True)  # 7天无理由 (消法 25)
    # search support: normalised tokens, pinyin and initials (filled by catalog.search.index_text)
    search_text: Mapped[str] = mapped_column(Text, default="")

    skus: Mapped[list[Sku]] = relationship(back_populates="product", order_by="Sku.id", lazy="selectin")
    category: Mapped[Category | None] = relationship(lazy="joined")


class Sku(IdMixin, TimestampMixin, Base):
    __tablename__ = "skus"

    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("products.id"), index=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    spec: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # {"颜色": "红", "尺码": "XL"}
    price_fen: Mapped[int] = mapped_column(Integer)
    member_price_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    original_price_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    stock: Mapped[int] = mapped_column(Integer, default=0)
    low_stock_threshold: Mapped[int | None] = mapped_column(Integer, nullable=True)
    weight_g: Mapped[int] = mapped_column(Integer, default=0)
    purchase_limit: Mapped[int | None] = mapped_column(Integer, nullable=True)  # per user, None = no limit
    on_shelf: Mapped[bool] = mapped_column(Boolean, default=True)

    product: Mapped[Product] = relationship(back_populates="skus")

    @property
    def spec_text(self) -> str:
        return " ".join(self.spec.values()) if self.spec else ""

    def unit_price_fen(self, is_member: bool) -> int:
        if is_member and self.member_price_fen is not None:
            return min(self.member_price_fen, self.price_fen)
        return self.price_fen


class ShelfEvent(IdMixin, Base):
    """On/off shelf history (who, when, why)."""

    __tablename__ = "shelf_events"

    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("products.id"), index=True)
    on_shelf: Mapped[bool] = mapped_column(Boolean)
    actor: Mapped[str] = mapped_column(String(64), default="system")
    reason: Mapped[str] = mapped_column(String(255), default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


def spec_from_text(text: str) -> dict[str, Any]:
    """'颜色:红;尺码:XL' -> {'颜色': '红', '尺码': 'XL'}; raises ValueError on bad syntax."""
    spec: dict[str, Any] = {}
    for part in filter(None, (p.strip() for p in text.replace("；", ";").split(";"))):
        key, sep, value = part.replace("：", ":").partition(":")
        if not sep or not key.strip() or not value.strip():
            raise ValueError(f"spec part {part!r} is not 名称:值")
        spec[key.strip()] = value.strip()
    return spec
