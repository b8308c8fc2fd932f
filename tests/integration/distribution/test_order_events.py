"""Commission follows real orders through the domain events (paid → delivered → refunded)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from commerce import clock, events
from commerce.customers.services import get_or_create
from commerce.db import Database
from commerce.distribution import subscriptions
from commerce.distribution.binding import bind_referral
from commerce.distribution.ledger import balances, release_frozen
from commerce.distribution.ledger_model import CommissionEntry
from commerce.distribution.model import BindingSource
from commerce.orders import services as orders
from commerce.orders.model import Order
from commerce.payments import services as payments
from commerce.payments.port import PaymentNotification
from tests.integration.distribution.builders import POLICY, chain
from tests.integration.orders.shop import make_shopper, make_sku


@pytest.fixture(autouse=True)
def subscribed() -> Iterator[None]:
    subscriptions.register(lambda: POLICY)
    yield
    events.clear()


def _paid_order(db: Database, openid: str, sku: int, qty: int) -> orders.OrderView:
    buyer = make_shopper(db, openid)
    with db.uow() as uow:
        view = orders.place_order(uow, openid, address_id=buyer.address_id, items=[(sku, qty)])
        uow.commit()
    for _ in range(2):  # the pay callback is replayed: commission is recorded once
        with db.uow() as uow:
            payments.apply_payment_notification(uow, PaymentNotification(
                view.order_no, f"tx-{view.order_no}", "SUCCESS", view.payable_fen, openid, clock.now()))
            uow.commit()
    return view


def test_a_referred_buyers_paid_delivered_and_refunded_order_moves_the_ledger(db: Database) -> None:
    a, b = chain(db, "oA", "oB")
    with db.uow() as uow:
        bind_referral(uow, "o-buyer", b.code, BindingSource.QR_SUBSCRIBE, POLICY)
        uow.commit()
    sku = make_sku(db, price_fen=5_000, stock=10)
    view = _paid_order(db, "o-buyer", sku, 2)  # goods ¥100, commission base excludes shipping
    with db.uow() as uow:
        order = uow.session.scalar(select(Order).where(Order.order_no == view.order_no))
        assert order is not None
        base = order.lines[0].paid_fen
        assert balances(uow, b.id).frozen_fen == base // 10 and balances(uow, a.id).frozen_fen == base // 20
        assert len(list(uow.session.scalars(select(CommissionEntry)))) == 2
        orders.ship_order(uow, view.order_no, carrier="sf", tracking_no="SF1", actor="test")
        orders.mark_delivered(uow, view.order_no)
        events.publish(uow, events.OrderRefunded(order.id, view.order_no, "o-buyer", "RF1", base // 2,
                                                 ((order.lines[0].id, base // 2),)))
        uow.commit()
    clock.advance(days=8)
    with db.uow() as uow:
        release_frozen(uow, POLICY)
        uow.commit()
        assert balances(uow, b.id).available_fen == base // 10 - (base // 10) // 2
        assert get_or_create(uow, "o-buyer").id != b.customer_id
