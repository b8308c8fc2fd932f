"""Read models handed to the bot, the pay page and merchants: personal data masked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from commerce.clock import as_utc
from commerce.orders.model import Order, OrderLine
from commerce.orders.states import OrderStatus
from commerce.privacy.crypto import mask_name, mask_phone


@dataclass(frozen=True)
class OrderLineView:
    id: int
    sku_id: int
    product_id: int
    name: str
    spec_text: str
    unit_price_fen: int
    quantity: int
    subtotal_fen: int
    paid_fen: int


@dataclass(frozen=True)
class OrderView:
    id: int
    order_no: str
    openid: str
    status: OrderStatus
    lines: tuple[OrderLineView, ...]
    goods_fen: int
    discount_fen: int
    points_fen: int
    shipping_fen: int
    payable_fen: int
    paid_fen: int
    receiver_name_masked: str
    receiver_phone_masked: str
    address_masked: str
    created_at: datetime
    paid_at: datetime | None
    expires_at: datetime | None
    tracking_no: str | None
    carrier: str | None
    refunded_fen: int = 0
    remark: str = ""

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)


def mask_address(province: str, detail: str) -> str:
    """Province plus the first few characters of the rest of the address (never the house number)."""
    detail = detail.removeprefix(province) if province else detail
    head = detail[:4] if len(detail) > 6 else detail[:2]
    return f"{province}{head}****"


def _opt(dt: datetime | None) -> datetime | None:
    return as_utc(dt) if dt is not None else None


def line_view(line: OrderLine) -> OrderLineView:
    return OrderLineView(
        id=line.id,
        sku_id=line.sku_id,
        product_id=line.product_id,
        name=line.name,
        spec_text=line.spec_text,
        unit_price_fen=line.unit_price_fen,
        quantity=line.quantity,
        subtotal_fen=line.subtotal_fen,
        paid_fen=line.paid_fen,
    )


def order_view(order: Order) -> OrderView:
    return OrderView(
        id=order.id,
        order_no=order.order_no,
        openid=order.openid,
        status=OrderStatus(order.status),
        lines=tuple(line_view(line) for line in order.lines),
        goods_fen=order.goods_fen,
        discount_fen=order.discount_fen,
        points_fen=order.points_fen,
        shipping_fen=order.shipping_fen,
        payable_fen=order.payable_fen,
        paid_fen=order.paid_fen,
        receiver_name_masked=mask_name(order.receiver_name),
        receiver_phone_masked=mask_phone(order.receiver_phone),
        address_masked=mask_address(order.receiver_province, order.receiver_address),
        created_at=as_utc(order.created_at),
        paid_at=_opt(order.paid_at),
        expires_at=_opt(order.expires_at),
        tracking_no=order.tracking_no,
        carrier=order.carrier,
        refunded_fen=order.refunded_fen,
        remark=order.remark,
    )
