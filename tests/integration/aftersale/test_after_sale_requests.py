"""After-sale requests against real services: refunds before shipping through the pay sandbox,
returns approved by the merchant, the 7-day window, idempotent transitions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from commerce import clock, events
from commerce.aftersale import outcomes
from commerce.aftersale import services as aftersale
from commerce.aftersale.errors import NotReturnable, ReturnWindowClosed
from commerce.aftersale.states import AfterSaleKind, AfterSaleStatus
from commerce.db import Database
from commerce.errors import IllegalTransition
from commerce.orders import services as orders
from commerce.orders.states import OrderStatus
from commerce.payments.model import Refund
from commerce.payments.port import RefundAck, RefundNotification
from tests.integration.aftersale.flows import sandbox_paid_order, wait_for
from tests.integration.logistics.parcels import paid_order, status_of
from tests.integration.orders.shop import stock_of
from tests.integration.payments.paysite import PaySite, pay_site

A = AfterSaleStatus


@pytest.fixture
def site(db: Database, tmp_path: Path) -> Iterator[PaySite]:
    with pay_site(db, tmp_path) as s:
        yield s


@pytest.fixture
def refunded() -> Iterator[list[events.OrderRefunded]]:
    seen: list[events.OrderRefunded] = []
    outcomes.register()
    events.subscribe(events.OrderRefunded, lambda _u, e: seen.append(e))
    yield seen
    events.clear()


def _request(db: Database, site: PaySite, order_no: str, **kw: object) -> aftersale.AfterSaleView:
    with db.uow() as uow:
        view = aftersale.request_after_sale(uow, site.gateway, order_no, openid="o-buyer", **kw)  # type: ignore[arg-type]
        uow.commit()
    return view


def _status(db: Database, request_id: int) -> AfterSaleStatus:
    with db.uow() as uow:
        return aftersale.get_request(uow, request_id).status


def _ship_and_deliver(db: Database, order_no: str) -> None:
    with db.uow() as uow:
        orders.ship_order(uow, order_no, carrier="yuantong", tracking_no="YT1", actor="merchant")
        orders.mark_delivered(uow, order_no)
        uow.commit()


class TestRefundBeforeShipping:
    def test_the_whole_order_is_refunded_at_once_and_the_stock_comes_back(
        self, db: Database, site: PaySite, refunded: list[events.OrderRefunded]
    ) -> None:
        order_no = sandbox_paid_order(db, site)
        with db.uow() as uow:
            order = orders.get_order(uow, order_no)
        sku = order.lines[0].sku_id
        assert stock_of(db, sku) == 9
        req = _request(db, site, order_no, reason="不想要了", evidence="我要退款")
        assert req.kind is AfterSaleKind.REFUND and req.status is A.REFUNDING and req.amount_fen == order.paid_fen
        assert wait_for(lambda: status_of(db, order_no) == "refunded")
        assert wait_for(lambda: _status(db, req.id) is A.REFUNDED)
        assert stock_of(db, sku) == 10
        assert [(e.order_no, e.refund_fen) for e in refunded] == [(order_no, order.paid_fen)]

    def test_one_line_is_refunded_alone_and_the_order_stays_paid(
        self, db: Database, site: PaySite, refunded: list[events.OrderRefunded]
    ) -> None:
        order_no = sandbox_paid_order(db, site, items=(("龙井", 5000, 1), ("白茶", 3000, 2)))
        with db.uow() as uow:
            lines = orders.get_order(uow, order_no).lines
        req = _request(db, site, order_no, line_ids=(lines[1].id,))
        assert not req.whole_order and req.amount_fen == 6000 and req.lines == ((lines[1].id, 6000),)
        assert wait_for(lambda: _status(db, req.id) is A.REFUNDED)
        assert status_of(db, order_no) == "paid"
        assert refunded[0].lines == ((lines[1].id, 6000),)

    def test_asking_twice_returns_the_open_request_instead_of_refunding_twice(self, db: Database, site: PaySite) -> None:
        order_no = sandbox_paid_order(db, site)
        first = _request(db, site, order_no)
        second = _request(db, site, order_no)
        assert first.id == second.id
        with db.uow() as uow:
            assert len(list(uow.session.query(Refund).filter(Refund.order_no == order_no))) == 1


class TestReturn:
    def test_a_delivered_order_is_returned_after_approval_and_receipt(
        self, db: Database, site: PaySite, refunded: list[events.OrderRefunded]
    ) -> None:
        order_no = sandbox_paid_order(db, site)
        _ship_and_deliver(db, order_no)
        req = _request(db, site, order_no, reason="不喜欢")
        assert req.kind is AfterSaleKind.RETURN and req.status is A.REQUESTED
        with db.uow() as uow:
            approved = aftersale.approve(uow, site.gateway, req.id, actor="merchant")
            again = aftersale.approve(uow, site.gateway, req.id, actor="merchant")
            uow.commit()
        assert approved.status is again.status is A.AWAITING_RETURN
        assert status_of(db, order_no) == OrderStatus.RETURNING.value
        with db.uow() as uow:
            assert aftersale.mark_received(uow, site.gateway, req.id, actor="merchant").status is A.REFUNDING
            uow.commit()
        assert wait_for(lambda: _status(db, req.id) is A.REFUNDED)
        assert status_of(db, order_no) == "refunded" and refunded[0].order_no == order_no

    def test_a_rejected_return_leaves_the_order_delivered_and_cannot_be_approved(self, db: Database, site: PaySite) -> None:
        order_no = sandbox_paid_order(db, site)
        _ship_and_deliver(db, order_no)
        req = _request(db, site, order_no)
        with db.uow() as uow:
            assert aftersale.reject(uow, req.id, actor="merchant", reason="已拆封").status is A.REJECTED
            uow.commit()
        with db.uow() as uow, pytest.raises(IllegalTransition):
            aftersale.approve(uow, site.gateway, req.id, actor="merchant")
        assert status_of(db, order_no) == "delivered"
        assert _request(db, site, order_no).id != req.id  # a closed request does not block a new one

    def test_receipt_before_approval_is_refused(self, db: Database, site: PaySite) -> None:
        order_no = sandbox_paid_order(db, site)
        _ship_and_deliver(db, order_no)
        req = _request(db, site, order_no)
        with db.uow() as uow, pytest.raises(IllegalTransition):
            aftersale.mark_received(uow, site.gateway, req.id, actor="merchant")


class TestWindow:
    def test_seven_days_after_delivery_a_return_is_still_accepted(self, db: Database, site: PaySite) -> None:
        order_no = sandbox_paid_order(db, site)
        _ship_and_deliver(db, order_no)
        clock.advance(days=7, seconds=-5)
        assert _request(db, site, order_no).kind is AfterSaleKind.RETURN

    def test_after_seven_days_the_return_is_refused_and_nothing_is_recorded(self, db: Database, site: PaySite) -> None:
        order_no = sandbox_paid_order(db, site)
        _ship_and_deliver(db, order_no)
        clock.advance(days=7, seconds=5)
        with pytest.raises(ReturnWindowClosed):
            _request(db, site, order_no)
        with db.uow() as uow:
            assert aftersale.list_requests(uow, openid="o-buyer") == []

    def test_fresh_fruit_is_not_returned_without_reason(self, db: Database, site: PaySite) -> None:
        order_no = sandbox_paid_order(db, site, items=(("脐橙", 3990, 1),), returnable=False)
        _ship_and_deliver(db, order_no)
        with pytest.raises(NotReturnable) as err:
            _request(db, site, order_no)
        assert err.value.names == ("脐橙",)


class RecordingGateway:
    """Accepts every refund and never calls back: the test decides how each refund ends."""

    refund_notify_url = "http://testserver/pay/refund-notify"

    def __init__(self) -> None:
        self.refunds: list[str] = []

    def refund(self, *, refund_no: str, order_no: str, amount_fen: int, total_fen: int, reason: str,
               notify_url: str) -> RefundAck:
        self.refunds.append(refund_no)
        return RefundAck(f"R-{refund_no}", "PROCESSING")


class TestRefundFailure:
    def test_a_closed_refund_marks_the_request_failed_and_a_retry_asks_again(self, db: Database) -> None:
        from commerce.payments import services as payments

        order_no = paid_order(db)
        gateway = RecordingGateway()
        with db.uow() as uow:
            req = aftersale.request_after_sale(uow, gateway, order_no, openid="o-buyer")  # type: ignore[arg-type]
            uow.commit()
        assert req.refund_no is not None
        with db.uow() as uow:
            payments.apply_refund_notification(uow, RefundNotification(req.refund_no, "R1", order_no, "CLOSED",
                                                                       req.amount_fen))
            assert outcomes.sync_refunds(uow) == 1
            uow.commit()
        assert _status(db, req.id) is A.REFUND_FAILED and status_of(db, order_no) == "paid"
        with db.uow() as uow:
            retried = aftersale.retry_refund(uow, gateway, req.id)  # type: ignore[arg-type]
            uow.commit()
        assert retried.status is A.REFUNDING and len(gateway.refunds) == 2 and retried.refund_no == gateway.refunds[1]
