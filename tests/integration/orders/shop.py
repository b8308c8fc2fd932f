"""Readable builders for checkout tests: a product with SKUs, a customer with consent and an address."""

from __future__ import annotations

from dataclasses import dataclass

from commerce.catalog.model import Product, Sku
from commerce.customers import services as customers
from commerce.db import Database, UnitOfWork


@dataclass(frozen=True)
class Shopper:
    openid: str
    address_id: int


def add_product(
    uow: UnitOfWork, code: str, name: str, *, price_fen: int = 1000, stock: int = 10,
    member_price_fen: int | None = None, on_shelf: bool = True, sku_on_shelf: bool = True,
    purchase_limit: int | None = None, low_stock_threshold: int | None = None, kind: str = "normal",
    weight_g: int = 500, spec: dict[str, str] | None = None,
) -> Sku:
    product = Product(code=code, name=name, on_shelf=on_shelf, kind=kind)
    sku = Sku(code=f"{code}-1", spec=spec or {"规格": "标准"}, price_fen=price_fen, stock=stock,
              member_price_fen=member_price_fen, on_shelf=sku_on_shelf, purchase_limit=purchase_limit,
              low_stock_threshold=low_stock_threshold, weight_g=weight_g)
    product.skus = [sku]
    uow.session.add(product)
    uow.session.flush()
    return sku


def make_sku(db: Database, code: str = "P1", name: str = "赣南脐橙", **kw: object) -> int:
    with db.uow() as uow:
        sku = add_product(uow, code, name, **kw)  # type: ignore[arg-type]
        uow.commit()
        return sku.id


def make_shopper(db: Database, openid: str = "o-buyer", *, province: str = "广东省", member: bool = False) -> Shopper:
    with db.uow() as uow:
        customers.give_consent(uow, openid)
        if member:
            customers.get_or_create(uow, openid).member_level = 1
        addr = customers.save_address(uow, openid, receiver_name="张三丰", phone="13800138000",
                                      province=province, detail="深圳市南山区科技园路1号")
        uow.commit()
        return Shopper(openid, addr.id)


def stock_of(db: Database, sku_id: int) -> int:
    with db.uow() as uow:
        sku = uow.session.get(Sku, sku_id)
        assert sku is not None
        return sku.stock


def buy_one(db: Database, shopper: Shopper, sku_id: int, *, commit_inside: bool = False) -> str:
    """One unit checked out: "ok", "out" (out of stock) — for the concurrency tests."""
    from commerce.inventory.errors import OutOfStock
    from commerce.orders import services as orders

    try:
        with db.uow() as uow:
            orders.place_order(uow, shopper.openid, address_id=shopper.address_id, items=[(sku_id, 1)],
                               commit=commit_inside)
            if not commit_inside:
                uow.commit()
    except OutOfStock:
        return "out"
    return "ok"


def order_one(db: Database, shopper: Shopper, sku_id: int) -> str:
    """One unit ordered and committed; → the order number."""
    from commerce.orders import services as orders

    with db.uow() as uow:
        no = orders.place_order(uow, shopper.openid, address_id=shopper.address_id, items=[(sku_id, 1)]).order_no
        uow.commit()
    return no
