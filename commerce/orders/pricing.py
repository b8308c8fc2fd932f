"""Checkout pricing: pure functions, no database.

    goods    = Σ unit price × quantity   (member price when the customer is a member)
    payable  = goods − discount − points + shipping

Discount and points reduce goods only (never shipping) and are spread over the
lines with `commerce.money.allocate` (largest remainder), giving each line the
goods amount actually paid for it (`paid_fen`).  Distribution commission is
computed on that per-line amount, so shipping never earns commission.
"""

from __future__ import annotations

from dataclasses import dataclass

from commerce.errors import InvalidInput
from commerce.money import allocate
from commerce.shipping.templates import Parcel, ShippingTemplate

SERVICE_KIND = "service"  # courses, membership cards: nothing to ship


@dataclass(frozen=True)
class LineInput:
    sku_id: int
    product_id: int
    sku_code: str
    name: str
    spec_text: str
    product_kind: str
    unit_price_fen: int
    quantity: int
    weight_g: int = 0


@dataclass(frozen=True)
class PricedLine:
    sku_id: int
    product_id: int
    sku_code: str
    name: str
    spec_text: str
    product_kind: str
    unit_price_fen: int
    quantity: int
    subtotal_fen: int
    paid_fen: int


@dataclass(frozen=True)
class Breakdown:
    goods_fen: int
    discount_fen: int
    points_fen: int
    shipping_fen: int
    payable_fen: int


def parcel_for(lines: list[LineInput], goods_after_discount_fen: int, province: str | None) -> Parcel:
    shipped = [line for line in lines if line.product_kind != SERVICE_KIND]
    return Parcel(
        pieces=sum(line.quantity for line in shipped),
        weight_g=sum(line.weight_g * line.quantity for line in shipped),
        goods_fen=goods_after_discount_fen,
        province=province,
    )


def price(
    lines: list[LineInput],
    *,
    template: ShippingTemplate,
    province: str | None,
    discount_fen: int = 0,
    points_fen: int = 0,
) -> tuple[tuple[PricedLine, ...], Breakdown]:
    if discount_fen < 0 or points_fen < 0:
        raise InvalidInput("discount", "must not be negative")
    subtotals = [line.unit_price_fen * line.quantity for line in lines]
    goods = sum(subtotals)
    if discount_fen + points_fen > goods:
        raise InvalidInput("discount", "discount and points exceed the goods amount")
    shares = allocate(discount_fen + points_fen, subtotals)
    priced = tuple(
        PricedLine(
            sku_id=line.sku_id,
            product_id=line.product_id,
            sku_code=line.sku_code,
            name=line.name,
            spec_text=line.spec_text,
            product_kind=line.product_kind,
            unit_price_fen=line.unit_price_fen,
            quantity=line.quantity,
            subtotal_fen=sub,
            paid_fen=sub - share,
        )
        for line, sub, share in zip(lines, subtotals, shares, strict=True)
    )
    net_goods = goods - discount_fen - points_fen
    shipping = template.fee_fen(parcel_for(lines, net_goods, province))
    return priced, Breakdown(goods, discount_fen, points_fen, shipping, net_goods + shipping)
