"""Shipping fee templates (运费模板): pure value objects, no database.

A template charges either by piece or by weight: a first unit at `first_fen`, then
`extra_fen` per started `extra_unit` beyond it.  Provinces may have their own rate
(matched by prefix, so "新疆" matches "新疆维吾尔自治区").  Orders whose goods amount
(after discounts) reaches `free_over_fen` ship free, except in `no_free_provinces`.
Service products (courses, membership cards) never count towards shipping.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from commerce.errors import InvalidInput


class ChargeBasis(StrEnum):
    PIECE = "piece"
    WEIGHT = "weight"  # units are grams


@dataclass(frozen=True)
class Rate:
    first_unit: int
    first_fen: int
    extra_unit: int
    extra_fen: int

    def __post_init__(self) -> None:
        if self.first_unit < 1 or self.extra_unit < 1:
            raise InvalidInput("shipping.rate", "units must be at least 1")
        if self.first_fen < 0 or self.extra_fen < 0:
            raise InvalidInput("shipping.rate", "fees must not be negative")

    def fee_fen(self, units: int) -> int:
        if units <= 0:
            return 0
        extra = max(0, units - self.first_unit)
        started_extra_units = -(-extra // self.extra_unit)
        return self.first_fen + started_extra_units * self.extra_fen


@dataclass(frozen=True)
class Parcel:
    """What the shipping fee depends on."""

    pieces: int
    weight_g: int
    goods_fen: int  # after discounts
    province: str | None = None


@dataclass(frozen=True)
class ShippingTemplate:
    name: str
    basis: ChargeBasis
    default: Rate
    regions: Mapping[str, Rate] = field(default_factory=dict)
    free_over_fen: int | None = None
    no_free_provinces: frozenset[str] = frozenset()

    def rate_for(self, province: str | None) -> Rate:
        if province:
            for prefix, rate in self.regions.items():
                if province.startswith(prefix):
                    return rate
        return self.default

    def fee_fen(self, parcel: Parcel) -> int:
        units = parcel.pieces if self.basis is ChargeBasis.PIECE else parcel.weight_g
        if units <= 0:
            return 0
        if self.free_over_fen is not None and parcel.goods_fen >= self.free_over_fen:
            remote = bool(parcel.province) and any(
                (parcel.province or "").startswith(p) for p in self.no_free_provinces
            )
            if not remote:
                return 0
        return self.rate_for(parcel.province).fee_fen(units)


REMOTE_PROVINCES = frozenset({"新疆", "西藏"})

DEFAULT_TEMPLATE = ShippingTemplate(
    name="默认运费",
    basis=ChargeBasis.PIECE,
    default=Rate(first_unit=1, first_fen=800, extra_unit=1, extra_fen=200),
    regions={p: Rate(first_unit=1, first_fen=2000, extra_unit=1, extra_fen=1000) for p in REMOTE_PROVINCES},
    free_over_fen=9900,
    no_free_provinces=REMOTE_PROVINCES,
)
