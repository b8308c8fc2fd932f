"""Checkout: preview the price of a cart or of given items, and place the order.

`place_order` applies the rules (consent, address ownership, idempotency key,
quantities, known/sellable SKUs, purchase limits, pricing) in one order on every
database; purchase limits are then made exact by the customer's counter rows
(`commerce.inventory.limits`), counted in the same transaction before the stock.  On PostgreSQL the data moves through `commerce.orders.fastpath` (one
read query, then the whole write as one statement); elsewhere (SQLite)
through the ORM and Core: a handful of reads, one INSERT for the order and one
(batched) for its lines, the purchase-limit counters, the cart clean-up, and finally
the stock reservation.
Either way the conditional UPDATE is the last write before the commit (see
`commerce.inventory.stock`).  The caller commits unless it passes `commit=True`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Table, insert, select
from sqlalchemy.exc import IntegrityError

from commerce.cart import services as cart
from commerce.catalog.model import Product, Sku
from commerce.clock import now
from commerce.customers.model import Address, Customer
from commerce.customers.services import default_address, get_or_create
from commerce.db import UnitOfWork
from commerce.errors import ConsentRequired, InvalidInput
from commerce.inventory import limits, stock
from commerce.inventory.errors import SkuNotFound
from commerce.inventory.limits import already_bought
from commerce.orders import fastpath, numbers, policy
from commerce.orders.errors import AddressNotFound, EmptyCheckout
from commerce.orders.fastpath import ProductFacts, SkuFacts
from commerce.orders.model import Order, OrderLine
from commerce.orders.pricing import Breakdown, LineInput, PricedLine, price
from commerce.orders.states import OrderStatus
from commerce.orders.views import OrderLineView, OrderView, mask_address, order_view
from commerce.privacy.crypto import mask_name, mask_phone

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
AnySkuMap = Mapping[int, tuple[Sku | SkuFacts, Product | ProductFacts]]


def _lines(uow: UnitOfWork, customer: Customer, items: Items | None) -> tuple[list[LineInput], dict[int, int], SkuMap]:
    """Validate what is being bought and snapshot names and prices."""
    wanted = _merge(items if items is not None else cart.cart_items(uow, customer.id))
    skus = stock.load_skus(uow, wanted)
    inputs = _checked(wanted, skus, lambda ids: already_bought(uow, customer.id, ids), customer.is_member)
    return inputs, wanted, skus


def _checked(wanted: dict[int, int], skus: AnySkuMap, bought: Callable[[list[int]], dict[int, int]],
             is_member: bool) -> list[LineInput]:
    """The checkout rules, in this order: known SKUs, sellable, purchase limits; then the line snapshots."""
    for sku_id in sorted(wanted):
        if sku_id not in skus:
            raise SkuNotFound(sku_id)
    for sku_id, qty in wanted.items():
        stock.ensure_sellable(*skus[sku_id], qty)
    limited = [sku_id for sku_id, (sku, _) in skus.items() if sku.purchase_limit is not None]
    if limited:
        held = bought(limited)
        for sku_id in limited:
            stock.ensure_within_limit(*skus[sku_id], wanted[sku_id], held.get(sku_id, 0))
    return [_line_input(*skus[sku_id], qty, is_member) for sku_id, qty in wanted.items()]


def _limited(wanted: Mapping[int, int], skus: AnySkuMap) -> dict[int, tuple[int, int]]:
    """{sku_id: (units, limit)} of the SKUs with a per-customer purchase limit (counted by `limits`)."""
    return {sku_id: (qty, limit) for sku_id, qty in wanted.items()
            if (limit := skus[sku_id][0].purchase_limit) is not None}


def _line_input(sku: Sku | SkuFacts, product: Product | ProductFacts, qty: int, is_member: bool) -> LineInput:
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


def _buyer(uow: UnitOfWork, openid: str, address_id: int) -> tuple[Customer, Address]:
    """Customer and their chosen address in one query; consent first, then ownership."""
    row = uow.session.execute(
        select(Customer, Address).outerjoin(
            Address, (Address.id == address_id) & (Address.customer_id == Customer.id)
        ).where(Customer.openid == openid)
    ).first()
    if row is None or row[0].consent_personal_data_at is None:
        raise ConsentRequired("address")
    if row[1] is None:
        raise AddressNotFound(address_id)
    return row[0], row[1]


def _by_key(uow: UnitOfWork, customer_id: int, key: str) -> Order | None:
    return uow.session.scalar(select(Order).where(Order.customer_id == customer_id, Order.idempotency_key == key))


def _new_order(customer: Customer, addr: Address, lines: tuple[PricedLine, ...], b: Breakdown,
               order_no: str, key: str | None, remark: str) -> Order:
    """The order as a transient object (inserted with Core by `_insert`)."""
    created = now()
    order = Order(
        order_no=order_no, customer_id=customer.id, openid=customer.openid, status=OrderStatus.PENDING_PAYMENT.value,
        idempotency_key=key, goods_fen=b.goods_fen, discount_fen=b.discount_fen, points_fen=b.points_fen,
        shipping_fen=b.shipping_fen, payable_fen=b.payable_fen, paid_fen=0, refunded_fen=0,
        receiver_name=addr.receiver_name, receiver_phone=addr.phone, receiver_province=addr.province,
        receiver_address=addr.detail, remark=remark[:255], created_at=created, updated_at=created,
        expires_at=created + policy.current().payment_timeout,
    )
    order.lines = [
        OrderLine(sku_id=pl.sku_id, product_id=pl.product_id, sku_code=pl.sku_code, name=pl.name,
                  spec_text=pl.spec_text, product_kind=pl.product_kind, unit_price_fen=pl.unit_price_fen,
                  quantity=pl.quantity, subtotal_fen=pl.subtotal_fen, paid_fen=pl.paid_fen, refunded_fen=0)
        for pl in lines
    ]
    return order


def _values(obj: object, table: Table) -> dict[str, object]:
    return {c.key: v for c in table.columns if c.key != "id" and (v := getattr(obj, c.key)) is not None}


def _insert(uow: UnitOfWork, order: Order) -> None:
    """Two Core INSERTs (order, then all lines with RETURNING ids): the ORM unit of work costs
    more CPU than the database on the checkout hot path (measured with bench/inventory.py)."""
    order_table, line_table = Order.__table__, OrderLine.__table__
    order.id = uow.session.execute(insert(order_table).returning(order_table.c.id),
                                   _values(order, order_table)).scalar_one()
    for line in order.lines:
        line.order_id = order.id
    ids = uow.session.execute(
        insert(line_table).returning(line_table.c.id, sort_by_parameter_order=True),
        [_values(line, line_table) for line in order.lines],
    ).scalars().all()
    for line, line_id in zip(order.lines, ids, strict=True):
        line.id = line_id


def place_order(
    uow: UnitOfWork, openid: str, *, address_id: int, items: Items | None = None,
    idempotency_key: str | None = None, remark: str = "", discount_fen: int = 0, points_fen: int = 0,
    commit: bool = False,
) -> OrderView:
    """Create a pending_payment order, reserving stock; the same idempotency_key returns the same order.

    `commit=True` commits the unit of work here (after_commit callbacks run too).  On
    PostgreSQL the order, its lines, the cart clean-up, the stock decrement and the
    COMMIT then travel in one round trip, so the hot row is locked for one
    server-side step only — use it on the checkout hot path (see `fastpath`).
    """
    idempotency_key = idempotency_key or None  # "" is no key (it would collide with every other "")
    if items is None or all(type(sku_id) is int for sku_id, _ in items):
        with fastpath.connection(uow, commit=commit) as driver:
            view = None if driver is None else _place_order_fast(
                uow, driver, openid, _Request(address_id, items, idempotency_key, remark, discount_fen, points_fen,
                                              commit))
        if view is not None:
            if commit:
                uow.commit()
            return view
    customer, addr = _buyer(uow, openid, address_id)
    if idempotency_key and (existing := _by_key(uow, customer.id, idempotency_key)) is not None:
        return order_view(existing)
    inputs, wanted, skus = _lines(uow, customer, items)
    lines, breakdown = price(inputs, template=policy.current().shipping, province=addr.province,
                             discount_fen=discount_fen, points_fen=points_fen)
    order = _new_order(customer, addr, lines, breakdown, numbers.next_order_no(uow), idempotency_key, remark)
    limited = _limited(wanted, skus)
    for line in order.lines:
        line.limit_qty = line.quantity if line.sku_id in limited else 0
    if idempotency_key:
        try:
            with uow.session.begin_nested():
                _insert(uow, order)
        except IntegrityError:  # a concurrent request with the same key won
            winner = _by_key(uow, customer.id, idempotency_key)
            if winner is None:
                raise
            return order_view(winner)
    else:
        _insert(uow, order)
    names = {i.sku_id: i.name for i in inputs}
    limits.count_purchases(uow, customer.id, limited, names)  # after the keyed insert: a lost race counts nothing
    cart.remove_bought(uow, customer.id, list(wanted))
    view = order_view(order)
    remaining = stock.reserve(uow, wanted, names)  # last statement: see module doc
    stock.warn_low_stock(uow, skus, remaining, wanted)
    if commit:
        uow.commit()
    return view


@dataclass(frozen=True)
class _Request:
    address_id: int
    items: Items | None
    key: str | None
    remark: str
    discount_fen: int
    points_fen: int
    commit: bool


def _place_order_fast(uow: UnitOfWork, driver: fastpath.Driver, openid: str, req: _Request) -> OrderView:
    """`place_order` on PostgreSQL: the same rules in the same order, data moved by `fastpath`
    (the caller commits the unit of work when asked to)."""
    ids = None if req.items is None else sorted({sku_id for sku_id, _ in req.items})
    facts = fastpath.read_facts(driver, openid, req.address_id, ids, req.key or None)
    if facts.buyer is None or not facts.buyer.consented:
        raise ConsentRequired("address")
    if facts.address is None:
        raise AddressNotFound(req.address_id)
    if req.key and facts.existing_order_id is not None:
        return _keyed_order(uow, facts.buyer.id, req.key)
    wanted = _merge(req.items if req.items is not None else facts.cart)
    inputs = _checked(wanted, facts.skus, lambda _: facts.bought, facts.buyer.is_member)
    lines, b = price(inputs, template=policy.current().shipping, province=facts.address.province,
                     discount_fen=req.discount_fen, points_fen=req.points_fen)
    created = now()
    expires = created + policy.current().payment_timeout
    order_no = numbers.next_postgres_order_no(driver.engine)
    row = fastpath.order_values(facts.buyer, facts.address, b, order_no, req.key, req.remark[:255], created, expires)
    written = fastpath.write_order(uow, driver, row, lines, wanted, {i.sku_id: i.name for i in inputs},
                                   commit=req.commit, keyed=bool(req.key), in_cart=facts.in_cart,
                                   limited=_limited(wanted, facts.skus))
    if written is None:  # a concurrent request with the same key won
        return _keyed_order(uow, facts.buyer.id, str(req.key))
    view = _fast_view(openid, order_no, lines, b, written, facts.address, created, expires, req.remark[:255])
    stock.warn_low_stock(uow, facts.skus, written.remaining, wanted)
    return view


def _fast_view(openid: str, order_no: str, lines: tuple[PricedLine, ...], b: Breakdown,
               written: fastpath.WrittenOrder, addr: fastpath.AddressFacts, created: datetime,
               expires: datetime, remark: str) -> OrderView:
    """The same view `order_view` builds, from the values just written (no ORM objects)."""
    return OrderView(
        id=written.order_id, order_no=order_no, openid=openid, status=OrderStatus.PENDING_PAYMENT,
        lines=tuple(_line_view(pl, written.line_ids[pl.sku_id]) for pl in lines),
        goods_fen=b.goods_fen, discount_fen=b.discount_fen, points_fen=b.points_fen, shipping_fen=b.shipping_fen,
        payable_fen=b.payable_fen, paid_fen=0, receiver_name_masked=mask_name(addr.receiver_name),
        receiver_phone_masked=mask_phone(addr.phone), address_masked=mask_address(addr.province, addr.detail),
        created_at=created, paid_at=None, expires_at=expires, tracking_no=None, carrier=None,
        refunded_fen=0, remark=remark,
    )


def _keyed_order(uow: UnitOfWork, customer_id: int, key: str) -> OrderView:
    order = _by_key(uow, customer_id, key)
    if order is None:
        raise RuntimeError("idempotency key conflict without a committed order")
    return order_view(order)


def _line_view(pl: PricedLine, line_id: int) -> OrderLineView:
    return OrderLineView(id=line_id, sku_id=pl.sku_id, product_id=pl.product_id, name=pl.name,
                         spec_text=pl.spec_text, unit_price_fen=pl.unit_price_fen, quantity=pl.quantity,
                         subtotal_fen=pl.subtotal_fen, paid_fen=pl.paid_fen)
