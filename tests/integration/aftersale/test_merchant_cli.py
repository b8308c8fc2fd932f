"""The merchant's commands: `siyu orders ship|deliver`, `siyu aftersale list|approve|reject|received`."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from commerce.aftersale import services as aftersale
from commerce.aftersale.states import AfterSaleStatus
from commerce.db import Database
from commerce.payments.port import RefundAck
from siyu.cli import app
from siyu.dbsetup import create_all
from tests.conftest import TEST_KEYS
from tests.integration.logistics.parcels import delivered_order, paid_order, status_of


class NoRefunds:
    refund_notify_url = "http://127.0.0.1:9/pay/refund-notify"

    def refund(self, **_: object) -> RefundAck:
        raise AssertionError("a return is not refunded before the goods are back")


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("SIYU_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SIYU_DATABASE__URL", url)
    monkeypatch.setenv("SIYU_MODE", "demo")
    monkeypatch.setenv("SIYU_PRIVACY__KEYS", TEST_KEYS)
    monkeypatch.setenv("SIYU_PUBLIC_BASE_URL", "http://127.0.0.1:9")  # nothing listens: sandboxes unreachable
    database = Database.from_url(url)
    create_all(database)
    return database


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def _return_request(db: Database) -> int:
    order_no = delivered_order(db)
    with db.uow() as uow:
        req = aftersale.request_after_sale(uow, NoRefunds(), order_no, openid="o-buyer")  # type: ignore[arg-type]
        uow.commit()
    return req.id


class TestOrders:
    def test_ship_records_the_parcel_even_when_the_courier_cannot_be_subscribed(self, shop: Database) -> None:
        order_no = paid_order(shop)
        code, out = run("orders", "ship", order_no, "--carrier", "YuanTong", "--tracking", "YT9876543210")
        assert code == 0 and "yuantong YT9876543210" in out and "订阅失败" in out
        assert status_of(shop, order_no) == "shipped"
        code, out = run("orders", "deliver", order_no)
        assert code == 0 and "delivered" in out

    def test_shipping_an_unpaid_or_unknown_order_is_refused(self, shop: Database) -> None:
        code, out = run("orders", "ship", "SY20990101000001", "--carrier", "yuantong", "--tracking", "YT1")
        assert code == 1 and "refused" in out

    def test_a_bad_tracking_number_is_refused_and_the_order_stays_paid(self, shop: Database) -> None:
        order_no = paid_order(shop)
        code, out = run("orders", "ship", order_no, "--carrier", "yuantong", "--tracking", "顺丰单号")
        assert code == 1 and "tracking_no" in out and status_of(shop, order_no) == "paid"


class TestAfterSale:
    def test_the_merchant_lists_and_approves_a_return(self, shop: Database) -> None:
        request_id = _return_request(shop)
        code, out = run("aftersale", "list", "--status", "requested")
        assert code == 0 and f"{request_id}\t" in out and "return" in out
        code, out = run("aftersale", "approve", str(request_id), "--note", "退货地址：杭州市西湖区文三路1号")
        assert code == 0 and "awaiting_return" in out
        with shop.uow() as uow:
            view = aftersale.get_request(uow, request_id)
        assert view.status is AfterSaleStatus.AWAITING_RETURN and "文三路" in view.merchant_note

    def test_received_while_the_pay_service_is_down_is_refused_and_nothing_changes(self, shop: Database) -> None:
        request_id = _return_request(shop)
        run("aftersale", "approve", str(request_id))
        code, out = run("aftersale", "received", str(request_id))
        assert code == 1 and "refused" in out
        with shop.uow() as uow:
            assert aftersale.get_request(uow, request_id).status is AfterSaleStatus.AWAITING_RETURN

    def test_reject_needs_a_reason_and_a_rejected_request_cannot_be_approved(self, shop: Database) -> None:
        request_id = _return_request(shop)
        assert run("aftersale", "reject", str(request_id))[0] == 2
        assert run("aftersale", "reject", str(request_id), "--reason", "商品已拆封")[0] == 0
        code, out = run("aftersale", "approve", str(request_id))
        assert code == 1 and "refused" in out

    def test_unknown_request_and_unknown_status_are_refused(self, shop: Database) -> None:
        assert run("aftersale", "approve", "999")[0] == 1
        assert run("aftersale", "list", "--status", "lost")[0] == 1
