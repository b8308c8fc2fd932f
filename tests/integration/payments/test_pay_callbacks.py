from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import func, select

from commerce import events
from commerce.db import Database
from commerce.orders import services as orders
from commerce.orders.model import OrderStatusChange
from commerce.orders.states import OrderStatus
from tests.integration.orders.shop import make_shopper, make_sku, stock_of
from tests.integration.payments.paysite import PaySite, pay_site, transaction


@pytest.fixture
def site(db: Database, tmp_path: Path) -> Iterator[PaySite]:
    with pay_site(db, tmp_path) as s:
        yield s


@pytest.fixture
def paid_events() -> Iterator[list[events.OrderPaid]]:
    seen: list[events.OrderPaid] = []
    events.subscribe(events.OrderPaid, lambda _uow, e: seen.append(e))
    yield seen
    events.clear()


def _order(db: Database, price_fen: int = 12800) -> orders.OrderView:
    sku = make_sku(db, price_fen=price_fen, stock=5)
    buyer = make_shopper(db)
    with db.uow() as uow:
        view = orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=[(sku, 1)])
        uow.commit()
        return view


def _status(db: Database, order_no: str) -> OrderStatus:
    with db.uow() as uow:
        return orders.get_order(uow, order_no).status


def _submit_pay_form(site: PaySite, html: str) -> str:
    form = re.search(r'<form method="post" action="([^"]+)">(.*?)</form>', html, re.S)
    assert form is not None, html
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(2)))
    resp = site.client.post(form.group(1), data=fields, follow_redirects=True)
    assert resp.status_code == 200, resp.text
    return resp.text


class TestPayPage:
    def test_sandbox_form_pays_the_order_through_the_signed_callback(
        self, db: Database, site: PaySite, paid_events: list[events.OrderPaid]
    ) -> None:
        view = _order(db)
        page = site.client.get(f"/pay/{view.order_no}")
        assert page.status_code == 200
        assert "确认支付" in page.text and "¥128.00" in page.text and "138****8000" in page.text
        assert "13800138000" not in page.text
        after = _submit_pay_form(site, page.text)
        assert 'data-status="paid"' in after
        assert _status(db, view.order_no) is OrderStatus.PAID
        assert [(e.order_no, e.paid_fen) for e in paid_events] == [(view.order_no, view.payable_fen)]
        with db.uow() as uow:
            assert orders.get_order(uow, view.order_no).paid_fen == view.payable_fen

    def test_reloading_the_pay_page_reuses_the_prepay_order(self, db: Database, site: PaySite) -> None:
        view = _order(db)
        first = site.client.get(f"/pay/{view.order_no}").text
        second = site.client.get(f"/pay/{view.order_no}").text
        prepay = re.compile(r'name="prepay_id" value="([^"]+)"')
        assert prepay.findall(first) == prepay.findall(second)

    def test_unknown_order_gets_404(self, site: PaySite) -> None:
        assert site.client.get("/pay/SY20260101999999").status_code == 404

    def test_cancelled_order_shows_no_pay_button(self, db: Database, site: PaySite) -> None:
        view = _order(db)
        with db.uow() as uow:
            orders.cancel_order(uow, view.order_no, openid=None, reason="test")
            uow.commit()
        page = site.client.get(f"/pay/{view.order_no}").text
        assert "<form" not in page and "已取消" in page


class TestNotify:
    def test_callback_replayed_ten_times_pays_once(
        self, db: Database, site: PaySite, paid_events: list[events.OrderPaid]
    ) -> None:
        view = _order(db)
        headers, body = site.callback(transaction(view.order_no, view.payable_fen, view.openid))
        for _ in range(10):
            resp = site.client.post("/pay/notify", content=body, headers=headers)
            assert resp.status_code == 200 and resp.json()["code"] == "SUCCESS"
        assert len(paid_events) == 1
        with db.uow() as uow:
            changes = uow.session.scalar(select(func.count()).select_from(OrderStatusChange)
                                         .where(OrderStatusChange.to_status == "paid"))
        assert changes == 1

    def test_wrong_signature_is_rejected_and_the_order_untouched(self, db: Database, site: PaySite) -> None:
        view = _order(db)
        forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        headers, body = site.callback(transaction(view.order_no, view.payable_fen, view.openid), key=forger)
        assert site.client.post("/pay/notify", content=body, headers=headers).status_code == 401
        assert _status(db, view.order_no) is OrderStatus.PENDING_PAYMENT

    def test_stale_timestamp_is_rejected(self, db: Database, site: PaySite) -> None:
        view = _order(db)
        headers, body = site.callback(transaction(view.order_no, view.payable_fen, view.openid),
                                      at=time.time() - 301)
        assert site.client.post("/pay/notify", content=body, headers=headers).status_code == 401
        assert _status(db, view.order_no) is OrderStatus.PENDING_PAYMENT

    def test_tampered_ciphertext_is_rejected(self, db: Database, site: PaySite) -> None:
        view = _order(db)
        headers, body = site.callback(transaction(view.order_no, view.payable_fen, view.openid))
        envelope = json.loads(body)
        raw = bytearray(base64.b64decode(envelope["resource"]["ciphertext"]))
        raw[0] ^= 0x01
        envelope["resource"]["ciphertext"] = base64.b64encode(bytes(raw)).decode()
        tampered = json.dumps(envelope, ensure_ascii=False).encode()
        assert site.client.post("/pay/notify", content=tampered, headers=headers).status_code in (400, 401)
        assert _status(db, view.order_no) is OrderStatus.PENDING_PAYMENT

    def test_ciphertext_not_matching_the_apiv3_key_is_rejected_even_when_signed(
        self, db: Database, site: PaySite
    ) -> None:
        view = _order(db)
        from sandbox.pay import wire

        headers, body = wire.callback(site.platform_key, "PUB_KEY_ID_0000SIYUSANDBOX0000", "x" * 32,
                                      event_type="TRANSACTION.SUCCESS", summary="", associated_data="transaction",
                                      original_type="transaction", now=time.time(),
                                      plain=transaction(view.order_no, view.payable_fen, view.openid))
        assert site.client.post("/pay/notify", content=body, headers=headers).status_code == 400
        assert _status(db, view.order_no) is OrderStatus.PENDING_PAYMENT

    def test_missing_headers_and_garbage_bodies_are_rejected(self, db: Database, site: PaySite) -> None:
        assert site.client.post("/pay/notify", content=b"{}").status_code == 401
        assert site.client.post("/pay/notify", content=b"x" * (65 * 1024)).status_code == 413

    def test_amount_mismatch_is_refused_and_the_order_untouched(
        self, db: Database, site: PaySite, paid_events: list[events.OrderPaid]
    ) -> None:
        view = _order(db)
        headers, body = site.callback(transaction(view.order_no, 1, view.openid))
        resp = site.client.post("/pay/notify", content=body, headers=headers)
        assert resp.status_code == 400 and resp.json()["code"] == "FAIL"
        assert _status(db, view.order_no) is OrderStatus.PENDING_PAYMENT
        assert paid_events == []

    def test_callback_for_an_unknown_order_is_not_acknowledged(self, site: PaySite) -> None:
        headers, body = site.callback(transaction("SY20260101999999", 100, "o-x"))
        assert site.client.post("/pay/notify", content=body, headers=headers).status_code == 404


class TestRefund:
    def test_full_refund_before_shipping_refunds_and_releases_stock(self, db: Database, site: PaySite) -> None:
        from commerce.payments import services as payments

        view = _order(db)
        _submit_pay_form(site, site.client.get(f"/pay/{view.order_no}").text)
        sku = view.lines[0].sku_id
        assert stock_of(db, sku) == 4
        refunded: list[events.OrderRefunded] = []
        events.subscribe(events.OrderRefunded, lambda _u, e: refunded.append(e))
        try:
            with db.uow() as uow:
                r = payments.request_refund(uow, site.gateway, view.order_no, amount_fen=view.paid_fen
                                            or view.payable_fen, reason="缺货")
                uow.commit()
            assert _status(db, view.order_no) is OrderStatus.REFUNDING
            deadline = time.time() + 5
            while _status(db, view.order_no) is not OrderStatus.REFUNDED and time.time() < deadline:
                time.sleep(0.05)
        finally:
            events.clear()
        assert _status(db, view.order_no) is OrderStatus.REFUNDED
        assert stock_of(db, sku) == 5
        assert [(e.refund_no, e.refund_fen) for e in refunded] == [(r.refund_no, view.payable_fen)]
        assert sum(fen for _, fen in refunded[0].lines) == view.goods_fen
