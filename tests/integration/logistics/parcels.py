"""Builders for logistics and after-sale tests: paid, shipped and delivered orders; an in-process
courier site (our /courier/notify + the Kuaidi100 imitation, pushing into the same app)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC

import httpx
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bot.web.courier import courier_routes
from commerce import clock
from commerce.catalog.model import Product
from commerce.db import Database
from commerce.orders import services as orders
from commerce.payments import services as payments
from commerce.payments.port import PaymentNotification
from sandbox.courier import CourierSandbox, CourierSandboxConfig
from sandbox.courier import wire as courier_wire
from siyu.adapters.kuaidi100 import Kuaidi100Tracker
from tests.integration.orders.shop import add_product, make_shopper

CUSTOMER, KEY, SALT = "TESTCUSTOMER", "test-kuaidi100-key", "test-salt"
STEP = 3600.0
_codes = itertools.count(1)


def paid_order(db: Database, openid: str = "o-buyer", *, items: tuple[tuple[str, int, int], ...] = (("脐橙", 3990, 1),),
               returnable: bool = True, code: str = "P") -> str:
    """A paid order of (name, price_fen, quantity) lines; returns its number."""
    buyer = make_shopper(db, openid)
    with db.uow() as uow:
        skus = []
        for n, (name, price, qty) in enumerate(items):
            sku = add_product(uow, f"{code}{n}-{openid}-{next(_codes)}", name, price_fen=price, stock=10)
            uow.session.get(Product, sku.product_id).no_reason_return = returnable  # type: ignore[union-attr]
            skus.append((sku.id, qty))
        view = orders.place_order(uow, openid, address_id=buyer.address_id, items=skus)
        uow.commit()
    pay(db, view.order_no, view.payable_fen, openid)
    return view.order_no


def pay(db: Database, order_no: str, amount_fen: int, openid: str) -> None:
    with db.uow() as uow:
        payments.apply_payment_notification(uow, PaymentNotification(
            order_no, f"42000{order_no[-8:]}", "SUCCESS", amount_fen, openid, clock.now().astimezone(UTC)))
        uow.commit()


def shipped_order(db: Database, openid: str = "o-buyer", *, tracking_no: str = "YT1234567890", **kw: object) -> str:
    from commerce.logistics import services as logistics

    order_no = paid_order(db, openid, **kw)  # type: ignore[arg-type]
    with db.uow() as uow:
        logistics.record_shipment(uow, order_no, carrier="yuantong", tracking_no=tracking_no, actor="merchant")
        uow.commit()
    return order_no


def delivered_order(db: Database, openid: str = "o-buyer", **kw: object) -> str:
    order_no = shipped_order(db, openid, **kw)
    with db.uow() as uow:
        orders.mark_delivered(uow, order_no)
        uow.commit()
    return order_no


def status_of(db: Database, order_no: str) -> str:
    with db.uow() as uow:
        return orders.get_order(uow, order_no).status.value


@dataclass
class CourierSite:
    client: TestClient
    tracker: Kuaidi100Tracker
    sandbox: CourierSandbox

    def push_due(self) -> int:
        return int(self.client.post("/sandbox/courier/push-due").json()["pushed"])

    def signed_push(self, com: str, num: str, state: str, data: list[dict[str, str]], *, salt: str = SALT) -> dict[str, str]:
        param = json.dumps({"status": "polling", "message": "", "lastResult": {
            "message": "ok", "nu": num, "ischeck": "1" if state == "3" else "0", "condition": "F00", "com": com,
            "status": "200", "state": state, "data": data}}, ensure_ascii=False)
        return {"param": param, "sign": courier_wire.push_sign(param, salt)}


@contextmanager
def courier_site(db: Database) -> Iterator[CourierSite]:
    cfg = CourierSandboxConfig(customer=CUSTOMER, key=KEY, step_seconds=STEP, tick_seconds=0,
                               clock=lambda: clock.now().timestamp())
    sandbox = CourierSandbox(cfg)
    tracker = Kuaidi100Tracker(base_url="http://testserver/sandbox/courier", customer=CUSTOMER, key=KEY, salt=SALT,
                               callback_url="http://testserver/courier/notify")
    app = Starlette(routes=courier_routes(db, tracker) + sandbox.routes())
    cfg.callback_transport = httpx.ASGITransport(app=app)
    with TestClient(app) as client:
        tracker._client = client
        yield CourierSite(client, tracker, sandbox)
