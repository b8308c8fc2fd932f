"""Refunds of a paid order give the refunded units back — to stock while the goods have not left,
and to the buyer's purchase limit — exactly once, whether the whole order or some lines or units
are refunded, and however often the provider repeats its notification."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from commerce.aftersale import services as aftersale
from commerce.db import Database
from commerce.inventory.model import PurchaseCounter
from commerce.orders import services as orders
from commerce.payments import services as payments
from commerce.payments.port import RefundNotification
from tests.fakes import AcceptingRefunds
from tests.integration.logistics.parcels import pay
from tests.integration.orders.shop import make_shopper, make_sku, stock_of

STOCK = 10
_codes = itertools.count(1)


def _paid(db: Database, *quantities: int, limit: int | None = None) -> tuple[orders.OrderView, list[int]]:
    """A paid order with one line per quantity (each its own SKU with STOCK units); the SKU ids."""
    n = next(_codes)
    buyer = make_shopper(db, f"o-refund-{n}")
    skus = [make_sku(db, f"RS{n}-{i}", f"白茶{i}", price_fen=1000, stock=STOCK, purchase_limit=limit)
            for i, _ in enumerate(quantities)]
    with db.uow() as uow:
        view = orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=list(zip(skus, quantities, strict=True)))
        uow.commit()
    pay(db, view.order_no, view.payable_fen, buyer.openid)
    return view, skus


def _refund(db: Database, gateway: AcceptingRefunds, order_no: str, amount_fen: int, *,
            quantities: dict[int, int] | None = None, lines: dict[int, int] | None = None, replays: int = 1) -> None:
    with db.uow() as uow:
        r = payments.request_refund(uow, gateway, order_no, amount_fen=amount_fen, reason="test", lines=lines,  # type: ignore[arg-type]
                                    quantities=quantities)
        uow.commit()
    _notify(db, order_no, r.refund_no, r.amount_fen, replays=replays)


def _notify(db: Database, order_no: str, refund_no: str, amount_fen: int, *, replays: int = 1) -> None:
    for _ in range(replays):
        with db.uow() as uow:
            payments.apply_refund_notification(uow, RefundNotification(refund_no, f"R-{refund_no}", order_no,
                                                                       "SUCCESS", amount_fen))
            uow.commit()


def _counted(db: Database, sku: int) -> int:
    with db.uow() as uow:
        return int(uow.session.scalar(select(PurchaseCounter.bought).where(PurchaseCounter.sku_id == sku)) or 0)


def _deliver(db: Database, order_no: str) -> None:
    with db.uow() as uow:
        orders.ship_order(uow, order_no, carrier="yuantong", tracking_no="YT1", actor="merchant")
        orders.mark_delivered(uow, order_no)
        uow.commit()


class TestRefundBeforeShipping:
    def test_refunding_one_line_restocks_exactly_its_units_once(self, db: Database) -> None:
        view, (tea, milk) = _paid(db, 1, 3)
        gateway = AcceptingRefunds()
        with db.uow() as uow:
            req = aftersale.request_after_sale(uow, gateway, view.order_no, openid=view.openid,  # type: ignore[arg-type]
                                               line_ids=(view.lines[1].id,))
            uow.commit()
        assert req.refund_no is not None and not req.whole_order
        _notify(db, view.order_no, req.refund_no, req.amount_fen, replays=3)
        assert (stock_of(db, tea), stock_of(db, milk)) == (STOCK - 1, STOCK)
        _refund(db, gateway, view.order_no, view.payable_fen - req.amount_fen, replays=2)  # the rest: a full refund
        with db.uow() as uow:
            assert orders.get_order(uow, view.order_no).status is orders.OrderStatus.REFUNDED
        assert (stock_of(db, tea), stock_of(db, milk)) == (STOCK, STOCK)

    def test_refunding_some_units_of_a_line_restocks_them_and_frees_the_limit(self, db: Database) -> None:
        view, (sku,) = _paid(db, 3, limit=3)
        assert _counted(db, sku) == 3
        gateway = AcceptingRefunds()
        line = view.lines[0]
        _refund(db, gateway, view.order_no, 1000, quantities={line.id: 1}, lines={line.id: 1000}, replays=2)
        assert stock_of(db, sku) == STOCK - 2 and _counted(db, sku) == 2
        _refund(db, gateway, view.order_no, view.payable_fen - 1000)
        assert stock_of(db, sku) == STOCK and _counted(db, sku) == 0

    def test_a_money_only_refund_restocks_nothing(self, db: Database) -> None:
        view, (sku,) = _paid(db, 2, limit=5)
        _refund(db, AcceptingRefunds(), view.order_no, 300)  # a price adjustment: no units named
        assert stock_of(db, sku) == STOCK - 2 and _counted(db, sku) == 2

    def test_more_units_than_are_left_cannot_be_refunded(self, db: Database) -> None:
        from commerce.errors import InvalidInput

        view, _ = _paid(db, 2)
        line = view.lines[0]
        _refund(db, AcceptingRefunds(), view.order_no, 1000, quantities={line.id: 1}, lines={line.id: 1000})
        with db.uow() as uow, pytest.raises(InvalidInput):
            payments.request_refund(uow, AcceptingRefunds(), view.order_no, amount_fen=1000, reason="x",  # type: ignore[arg-type]
                                    quantities={line.id: 2})


def test_a_refund_after_delivery_frees_the_limit_but_leaves_stock_to_the_merchant(db: Database) -> None:
    view, (sku,) = _paid(db, 2, limit=2)
    _deliver(db, view.order_no)
    _refund(db, AcceptingRefunds(), view.order_no, view.payable_fen, replays=2)
    assert stock_of(db, sku) == STOCK - 2 and _counted(db, sku) == 0


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(quantity=st.integers(1, 4), steps=st.lists(st.tuples(st.integers(0, 4), st.integers(1, 3)), max_size=4),
       finish=st.booleans())
def test_partial_refunds_by_units_then_the_rest_restock_every_unit_exactly_once(
    sqlite_db: Database, quantity: int, steps: list[tuple[int, int]], finish: bool,
) -> None:
    """Any sequence of unit refunds (each notified 1-3 times), optionally followed by refunding the
    rest: stock and the purchase counter always equal what is still bought."""
    db = sqlite_db
    view, (sku,) = _paid(db, quantity, limit=4)
    line, gateway, refunded = view.lines[0], AcceptingRefunds(), 0
    for units, replays in steps:
        units = min(units, quantity - refunded - 1)  # leave one unit for the final (full) refund
        if units <= 0:
            continue
        _refund(db, gateway, view.order_no, 1000 * units, quantities={line.id: units},
                lines={line.id: 1000 * units}, replays=replays)
        refunded += units
    if finish:
        _refund(db, gateway, view.order_no, view.payable_fen - 1000 * refunded, replays=2)
        refunded = quantity
    assert stock_of(db, sku) == STOCK - quantity + refunded
    assert _counted(db, sku) == quantity - refunded


class TestRefundsInFlight:
    def test_units_and_line_money_held_by_a_processing_refund_cannot_be_refunded_again(self, db: Database) -> None:
        from commerce.errors import InvalidInput

        view, (tea,) = _paid(db, 3)
        line = view.lines[0].id
        gateway = AcceptingRefunds()
        with db.uow() as uow:  # 2 of the 3 units, not confirmed by the provider yet
            first = payments.request_refund(uow, gateway, view.order_no, amount_fen=2000, reason="test",  # type: ignore[arg-type]
                                            lines={line: 2000}, quantities={line: 2})
            uow.commit()
        with db.uow() as uow, pytest.raises(InvalidInput):
            payments.request_refund(uow, gateway, view.order_no, amount_fen=1000, reason="test",  # type: ignore[arg-type]
                                    quantities={line: 2})
        with db.uow() as uow, pytest.raises(InvalidInput):
            payments.request_refund(uow, gateway, view.order_no, amount_fen=1000, reason="test",  # type: ignore[arg-type]
                                    lines={line: 1500})
        _refund(db, gateway, view.order_no, 1000, quantities={line: 1}, lines={line: 1000})  # the last unit: fine
        _notify(db, view.order_no, first.refund_no, first.amount_fen)
        assert stock_of(db, tea) == STOCK
