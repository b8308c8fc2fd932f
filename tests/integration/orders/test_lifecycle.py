from __future__ import annotations

import pytest

from commerce import clock, events
from commerce.db import Database
from commerce.errors import IllegalTransition, InvalidInput
from commerce.orders import services as orders
from commerce.orders.states import OrderStatus
from commerce.payments import services as payments
from commerce.payments.port import PaymentNotification
from tests.integration.orders.shop import Shopper, make_shopper, make_sku, stock_of


def _order(db: Database, buyer: Shopper, sku: int, qty: int = 1) -> orders.OrderView:
    with db.uow() as uow:
        view = orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=[(sku, qty)])
        uow.commit()
        return view


def _pay(db: Database, view: orders.OrderView) -> None:
    with db.uow() as uow:
        payments.apply_payment_notification(uow, PaymentNotification(
            view.order_no, f"tx-{view.order_no}", "SUCCESS", view.payable_fen, view.openid, clock.now()))
        uow.commit()


class TestCancelAndExpire:
    def test_user_cancel_releases_stock_and_is_idempotent(self, db: Database) -> None:
        sku = make_sku(db, stock=5)
        buyer = make_shopper(db)
        view = _order(db, buyer, sku, 2)
        for _ in range(2):
            with db.uow() as uow:
                cancelled = orders.cancel_order(uow, view.order_no, openid=buyer.openid, reason="不想要了")
                uow.commit()
        assert cancelled.status is OrderStatus.CANCELLED
        assert stock_of(db, sku) == 5

    def test_paid_order_cannot_be_cancelled(self, db: Database) -> None:
        sku = make_sku(db)
        buyer = make_shopper(db)
        view = _order(db, buyer, sku)
        _pay(db, view)
        with db.uow() as uow, pytest.raises(IllegalTransition):
            orders.cancel_order(uow, view.order_no, openid=buyer.openid, reason="x")

    def test_unpaid_orders_expire_after_the_timeout_and_release_stock(self, db: Database) -> None:
        sku = make_sku(db, stock=5)
        buyer = make_shopper(db)
        old = _order(db, buyer, sku, 2)
        clock.advance(minutes=20)
        fresh = _order(db, buyer, sku, 1)
        clock.advance(minutes=11)
        seen: list[events.OrderCancelled] = []
        events.subscribe(events.OrderCancelled, lambda _u, e: seen.append(e))
        try:
            with db.uow() as uow:
                assert orders.expire_unpaid(uow) == 1
                uow.commit()
        finally:
            events.clear()
        assert [e.order_no for e in seen] == [old.order_no]
        with db.uow() as uow:
            assert orders.get_order(uow, old.order_no).status is OrderStatus.CANCELLED
            assert orders.get_order(uow, fresh.order_no).status is OrderStatus.PENDING_PAYMENT
        assert stock_of(db, sku) == 4


class TestFulfilment:
    def test_paid_order_ships_delivers_and_completes(self, db: Database) -> None:
        sku = make_sku(db)
        buyer = make_shopper(db)
        view = _order(db, buyer, sku)
        _pay(db, view)
        with db.uow() as uow:
            shipped = orders.ship_order(uow, view.order_no, carrier="yuantong", tracking_no="YT123456789",
                                        actor="merchant-demo-openid")
            delivered = orders.mark_delivered(uow, view.order_no)
            again = orders.mark_delivered(uow, view.order_no)
            done = orders.complete_order(uow, view.order_no)
            uow.commit()
        assert shipped.status is OrderStatus.SHIPPED and shipped.tracking_no == "YT123456789"
        assert delivered.status is again.status is OrderStatus.DELIVERED
        assert done.status is OrderStatus.COMPLETED

    def test_unpaid_order_cannot_ship(self, db: Database) -> None:
        sku = make_sku(db)
        buyer = make_shopper(db)
        view = _order(db, buyer, sku)
        with db.uow() as uow, pytest.raises(IllegalTransition):
            orders.ship_order(uow, view.order_no, carrier="sf", tracking_no="SF1", actor="m")

    def test_shipping_needs_a_carrier_and_a_sane_tracking_number(self, db: Database) -> None:
        sku = make_sku(db)
        buyer = make_shopper(db)
        view = _order(db, buyer, sku)
        _pay(db, view)
        with db.uow() as uow:
            for carrier, tracking in (("", "YT1"), ("yto", ""), ("yto", "单号123"), ("yto", "9" * 65)):
                with pytest.raises(InvalidInput):
                    orders.ship_order(uow, view.order_no, carrier=carrier, tracking_no=tracking, actor="m")

    def test_list_orders_shows_newest_first_with_status_filter(self, db: Database) -> None:
        sku = make_sku(db)
        buyer = make_shopper(db)
        first = _order(db, buyer, sku)
        second = _order(db, buyer, sku)
        _pay(db, first)
        with db.uow() as uow:
            assert [o.order_no for o in orders.list_orders(uow, buyer.openid)] == [second.order_no, first.order_no]
            paid = orders.list_orders(uow, buyer.openid, status=OrderStatus.PAID)
        assert [o.order_no for o in paid] == [first.order_no]
