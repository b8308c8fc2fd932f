"""Cart use cases.  Services flush but never commit: the caller owns the unit of work.

    with db.uow() as uow:
        view = cart.add_item(uow, openid, sku_id, 2)
        uow.commit()

Adding validates the merged quantity against shelf status, stock and the per-user
purchase limit (domain errors from `commerce.inventory.errors`); the cart view
re-checks availability every time it is shown (stock and shelf change meanwhile).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select

from commerce.cart import store
from commerce.cart.model import CartItem
from commerce.customers.services import get_or_create
from commerce.db import UnitOfWork
from commerce.errors import InvalidInput
from commerce.inventory import stock
from commerce.inventory.errors import SkuNotFound
from commerce.inventory.limits import already_bought
from commerce.orders import policy


@dataclass(frozen=True)
class CartLine:
    sku_id: int
    product_id: int
    name: str
    spec_text: str
    unit_price_fen: int
    quantity: int
    subtotal_fen: int
    available: bool
    stock: int


@dataclass(frozen=True)
class CartView:
    lines: tuple[CartLine, ...]
    goods_fen: int  # available lines only
    count: int  # pieces in the cart

    @property
    def is_empty(self) -> bool:
        return not self.lines

    @property
    def unavailable(self) -> tuple[CartLine, ...]:
        return tuple(line for line in self.lines if not line.available)


def _check_quantity(quantity: int, *, allow_zero: bool = False) -> None:
    low = 0 if allow_zero else 1
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < low:
        raise InvalidInput("quantity", f"must be an integer >= {low}")
    if quantity > policy.current().max_quantity_per_line:
        raise InvalidInput("quantity", f"at most {policy.current().max_quantity_per_line} per line")


def _target(uow: UnitOfWork, openid: str, sku_id: int, *, raw: Any | None = None) -> store.Target:
    found = store.target(uow, openid, sku_id, raw=raw)
    if found is None:  # first contact: create the customer, then read again
        if raw is not None:
            store.create_customer(raw, openid)
        else:
            get_or_create(uow, openid)
        found = store.target(uow, openid, sku_id, raw=raw)
        assert found is not None
    return found


def _validate(uow: UnitOfWork, found: store.Target, sku_id: int, quantity: int) -> None:
    sku, product = found.sku, found.product
    if sku is None or product is None:
        raise SkuNotFound(sku_id)
    stock.ensure_sellable(sku, product, quantity)
    if sku.purchase_limit is not None:
        already = already_bought(uow, found.customer_id, [sku_id]).get(sku_id, 0)
        stock.ensure_within_limit(sku, product, quantity, already)


def add_item(uow: UnitOfWork, openid: str, sku_id: int, quantity: int = 1, *, commit: bool = False) -> CartView:
    """Put `quantity` more of a SKU in the cart (merging with an existing line).

    `commit=True`: committed here.  On PostgreSQL, in a unit of work that has done nothing yet, its
    statements (read, write, cart; first contact: the customer row first) then run in autocommit on
    a pooled connection of their own — no BEGIN and COMMIT round trips (the chat's add-to-cart:
    5 → 3 round trips; a new customer's first: 9 → 5).
    Each statement is atomic; the read-then-write of the quantity is no less racy than at READ
    COMMITTED in one transaction.
    """
    _check_quantity(quantity)
    if commit:
        with uow.autocommit_connection() as raw:
            if raw is not None:
                return _add(uow, openid, sku_id, quantity, raw=raw)
    view = _add(uow, openid, sku_id, quantity)
    if commit:
        uow.commit()
    return view


def _add(uow: UnitOfWork, openid: str, sku_id: int, quantity: int, *, raw: Any | None = None) -> CartView:
    found = _target(uow, openid, sku_id, raw=raw)
    total = quantity + (found.in_cart or 0)
    _check_quantity(total)
    _validate(uow, found, sku_id, total)
    store.save_quantity(uow, found.customer_id, sku_id, total, new_line=found.in_cart is None, raw=raw)
    return view_cart(uow, openid, raw=raw)


def set_quantity(uow: UnitOfWork, openid: str, sku_id: int, quantity: int) -> CartView:
    """Set a line's quantity; 0 removes the line."""
    _check_quantity(quantity, allow_zero=True)
    if quantity == 0:
        return remove_item(uow, openid, sku_id)
    found = _target(uow, openid, sku_id)
    _validate(uow, found, sku_id, quantity)
    store.save_quantity(uow, found.customer_id, sku_id, quantity, new_line=found.in_cart is None)
    return view_cart(uow, openid)


def remove_item(uow: UnitOfWork, openid: str, sku_id: int) -> CartView:
    customer = get_or_create(uow, openid)
    uow.session.execute(delete(CartItem).where(CartItem.customer_id == customer.id, CartItem.sku_id == sku_id))
    return view_cart(uow, openid)


def clear(uow: UnitOfWork, openid: str) -> None:
    customer = get_or_create(uow, openid)
    uow.session.execute(delete(CartItem).where(CartItem.customer_id == customer.id))


def remove_bought(uow: UnitOfWork, customer_id: int, sku_ids: list[int]) -> None:
    """Drop the cart lines of SKUs that were just ordered (used by checkout)."""
    uow.session.execute(
        delete(CartItem).where(CartItem.customer_id == customer_id, CartItem.sku_id.in_(sku_ids))
    )


def cart_items(uow: UnitOfWork, customer_id: int) -> list[tuple[int, int]]:
    """The cart as [(sku_id, quantity)], oldest line first."""
    rows = uow.session.execute(
        select(CartItem.sku_id, CartItem.quantity).where(CartItem.customer_id == customer_id).order_by(CartItem.id)
    )
    return [(int(s), int(q)) for s, q in rows.tuples()]


def view_cart(uow: UnitOfWork, openid: str, *, raw: Any | None = None) -> CartView:
    current = store.cart_of(uow, openid, raw=raw)
    if current is None:  # first contact: the customer exists from now on, with an empty cart
        get_or_create(uow, openid)
        return CartView(lines=(), goods_fen=0, count=0)
    lines = tuple(_line(facts, current.is_member) for facts in current.lines)
    return CartView(
        lines=lines,
        goods_fen=sum(line.subtotal_fen for line in lines if line.available),
        count=sum(line.quantity for line in lines),
    )


def _line(facts: store.LineFacts, is_member: bool) -> CartLine:
    price = facts.unit_price_fen(is_member)
    return CartLine(
        sku_id=facts.sku_id,
        product_id=facts.product_id,
        name=facts.name,
        spec_text=facts.spec_text,
        unit_price_fen=price,
        quantity=facts.quantity,
        subtotal_fen=price * facts.quantity,
        available=bool(facts.sku_on_shelf and facts.product_on_shelf and facts.stock >= facts.quantity),
        stock=max(0, facts.stock),
    )
