"""Orders paid through the WeChat Pay sandbox (so they can really be refunded), and waiting helpers."""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Callable

from commerce.catalog.model import Product
from commerce.db import Database
from commerce.orders import services as orders
from tests.integration.orders.shop import add_product, make_shopper
from tests.integration.payments.paysite import PaySite

_codes = itertools.count(1)


def sandbox_paid_order(db: Database, site: PaySite, openid: str = "o-buyer", *,
                       items: tuple[tuple[str, int, int], ...] = (("龙井", 5000, 1),), returnable: bool = True) -> str:
    buyer = make_shopper(db, openid)
    with db.uow() as uow:
        skus = []
        for n, (name, price, qty) in enumerate(items):
            sku = add_product(uow, f"AS{n}-{openid}-{name}-{next(_codes)}", name, price_fen=price, stock=10)
            uow.session.get(Product, sku.product_id).no_reason_return = returnable  # type: ignore[union-attr]
            skus.append((sku.id, qty))
        view = orders.place_order(uow, openid, address_id=buyer.address_id, items=skus)
        uow.commit()
    page = site.client.get(f"/pay/{view.order_no}").text
    form = re.search(r'<form method="post" action="([^"]+)">(.*?)</form>', page, re.S)
    assert form is not None, page
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(2)))
    assert site.client.post(form.group(1), data=fields, follow_redirects=True).status_code == 200
    return view.order_no


def wait_for(check: Callable[[], bool], seconds: float = 5.0) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()
