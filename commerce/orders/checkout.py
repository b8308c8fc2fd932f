"""Checkout: preview the price of a cart or of given items, and place the order.

`place_order` keeps the hot path short: a handful of reads, one INSERT for the
order and one (batched) for its lines, the cart clean-up, and finally the stock
reservation — the conditional UPDATE is the last statement before the caller
commits (see `commerce.inventory.stock`).  The caller commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from commerce.cart import services as cart
from commerce.catalog.model import Product, Sku
from commerce.clock import now
from commerce.customers.model import Address, Customer
from commerce.customers.services import default_address, get_or_create
from commerce.db import UnitOfWork
from commerce.errors import ConsentRequired, InvalidInput
from commerce.inventory import stock
from commerce.inventory.limits import already_bought
from commerce.orders import numbers, policy
from commerce.orders.errors import AddressNotFound, EmptyCheckout
from commerce.orders.model import Order, OrderLine
from commerce.orders.pricing import Breakdown, LineInput, PricedLine, price
from commerce.orders.views import OrderView, order_view

Items = list[tuple[int, int]]


@dataclass(frozen=True)
class CheckoutPreview:
    lines: tuple[PricedLine, ...]
    goods_fen: int
    discount_fen: int
    points_fen: int
    shipping_fen: int
    payable_fen: int


def _merge(items: Iterable[tuple[int, int]]) -> dict[int, int]:
    merged: dict[int, int] = {}
    cap = policy.current().max_quantity_per_line
    for sku_id, qty in items:
        if not isinstance(qty, int) or isinstance(qty, bool) or qty < 1:
            raise InvalidInput("quantity", "must be an integer >= 1")
        merged[sku_id] = merged.get(sku_id, 0) + qty
        if merged[sku_id] > cap:
            raise InvalidInput("quantity", f"at most {cap} per line")
    if not merged:
        raise EmptyCheckout()
    return merged


SkuMap = dict[int, tuple[Sku, Product]]


def _lines(uow: UnitOfWork, customer: Customer, items: Items | None) -> tuple[list[LineInput], dict[int, int], SkuMap]:
    """Validate what is being bought and snapshot names and prices."""
    wanted = _merge(items if items is not None else cart.cart_items(uow, customer.id))
    skus = stock.load_skus(uow, wanted)
    for sku_id, qty in wanted.items():
        stock.ensure_sellable(*skus[sku_id], qty)
    limited = [sku_id for sku_id, (sku, _) in skus.items() if sku.purchase_limit is not None]
    if limited:
        bought = already_bought(uow, customer.id, limited)
        for sku_id in limited:
            stock.ensure_within_limit(*skus[sku_id], wanted[sku_id], bought.get(sku_id, 0))
    inputs = [_line_input(*skus[sku_id], qty, customer.is_member) for sku_id, qty in wanted.items()]
    return inputs, wanted, skus


def _line_input(sku: Sku, product: Product, qty: int, is_member: bool) -> LineInput:
    return LineInput(
        sku_id=sku.id,
        product_id=product.id,
        sku_code=sku.code,
        name=product.name,
        spec_text=sku.spec_text,
        product_kind=product.kind,
        unit_price_fen=sku.unit_price_fen(is_member),
        quantity=qty,
        weight_g=sku.weight_g,
    )


def preview_checkout(
    uow: UnitOfWork, openid: str, *, items: Items | None = None, province: str | None = None,
    discount_fen: int = 0, points_fen: int = 0,
) -> CheckoutPreview:
    """Price of the whole cart (items=None) or of [(sku_id, qty)], with shipping to `province`
    (default: the customer's default address)."""
    customer = get_or_create(uow, openid)
    inputs, _, _ = _lines(uow, customer, items)
    if province is None:
        addr = default_address(uow, openid)
        province = addr.province if addr else None
    lines, b = price(inputs, template=policy.current().shipping, province=province,
                     discount_fen=discount_fen, points_fen=points_fen)
    return CheckoutPreview(lines, b.goods_fen, b.discount_fen, b.points_fen, b.shipping_fen, b.payable_fen)


def _address(uow: UnitOfWork, customer: Customer, address_id: int) -> Address:
    addr = uow.session.get(Address, address_id)
    if addr is None or addr.customer_id != customer.id:
        raise AddressNotFound(address_id)
    return addr


def _by_key(uow: UnitOfWork, customer_id: int, key: str) -> Order | None:
    return uow.session.scalar(select(Order).where(Order.customer_id == customer_id, Order.idempotency_key == key))


def _new_order(uow: UnitOfWork, customer: Customer, addr: Address, lines: tuple[PricedLine, ...],
               b: Breakdown, key: str | None, remark: str) -> Order:
    order = Order(
        order_no=numbers.next_order_no(uow), customer_id=customer.id, openid=customer.openid,
        idempotency_key=key, goods_fen=b.goods_fen, discount_fen=b.discount_fen, points_fen=b.points_fen,
        shipping_fen=b.shipping_fen, payable_fen=b.payable_fen, paid_fen=0,
        receiver_name=addr.receiver_name, receiver_phone=addr.phone, receiver_province=addr.province,
        receiver_address=addr.detail, remark=remark[:255], expires_at=now() + policy.current().payment_timeout,
    )
    order.lines = [
        OrderLine(sku_id=pl.sku_id, product_id=pl.product_id, sku_code=pl.sku_code, name=pl.name,
                  spec_text=pl.spec_text, product_kind=pl.product_kind, unit_price_fen=pl.unit_price_fen,
                  quantity=pl.quantity, subtotal_fen=pl.subtotal_fen, paid_fen=pl.paid_fen)
        for pl in lines
    ]
    uow.session.add(order)
    return order


def place_order(
    uow: UnitOfWork, openid: str, *, address_id: int, items: Items | None = None,
    idempotency_key: str | None = None, remark: str = "", discount_fen: int = 0, points_fen: int = 0,
) -> OrderView:
    """Create a pending_payment order, reserving stock; the same idempotency_key returns the same order."""
    customer = get_or_create(uow, openid)
    if customer.consent_personal_data_at is None:
        raise ConsentRequired("address")
    if idempotency_key and (existing := _by_key(uow, customer.id, idempotency_key)) is not None:
        return order_view(existing)
    addr = _address(uow, customer, address_id)
    inputs, wanted, skus = _lines(uow, customer, items)
    lines, breakdown = price(inputs, template=policy.current().shipping, province=addr.province,
                             discount_fen=discount_fen, points_fen=points_fen)
    order = _new_order(uow, customer, addr, lines, breakdown, idempotency_key, remark)
    if idempotency_key:
        try:
            with uow.session.begin_nested():
                uow.session.flush()
        except IntegrityError:  # a concurrent request with the same key won
            winner = _by_key(uow, customer.id, idempotency_key)
            if winner is None:
                raise
            return order_view(winner)
    cart.remove_bought(uow, customer.id, list(wanted))
    uow.session.flush()
    view = order_view(order)  # built before the row lock is taken: the lock is held until COMMIT
    remaining = stock.reserve(uow, wanted, {i.sku_id: i.name for i in inputs})  # last: see module doc
    stock.warn_low_stock(uow, skus, remaining, wanted)
    return view
