"""Ledger invariants under random sequences of payments, refunds, deliveries, releases and settlements."""

from __future__ import annotations

import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from commerce import clock
from commerce.db import Database
from commerce.distribution import payouts
from commerce.distribution.engine import CommissionInput, max_commission_fen
from commerce.distribution.ledger import balances, claw_back, mark_delivered, release_frozen
from commerce.distribution.ledger_model import CommissionEntry, EntryReason
from commerce.distribution.model import Distributor
from commerce.distribution.payout_model import PayoutMethod
from commerce.distribution.settlement import settle
from commerce.errors import CommerceError
from tests.integration.distribution.builders import POLICY, chain, pay

op_st = st.one_of(
    st.tuples(st.just("pay"), st.lists(st.integers(1, 100_000), min_size=1, max_size=3)),
    st.tuples(st.just("refund"), st.integers(0, 50), st.integers(0, 2), st.integers(1, 100_000)),
    st.tuples(st.just("deliver"), st.integers(0, 50)),
    st.tuples(st.just("release"), st.integers(0, 10)),
    st.tuples(st.just("settle")),
    st.tuples(st.just("withdraw"), st.integers(1, 5_000)),
)
SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _apply(db: Database, ops: list[tuple], buyer: int, orders: list[CommissionInput], refunds: dict,
           seller: str) -> None:
    with db.uow() as uow:
        for n, op in enumerate(ops):
            if op[0] == "settle":
                settle(uow, "weekly", POLICY, key=f"p{seller}{n}")
            elif op[0] == "withdraw":
                try:
                    with uow.session.begin_nested():
                        payouts.withdraw(uow, seller, op[1], PayoutMethod.WECHAT, POLICY)
                except CommerceError:
                    pass
            if op[0] == "pay":
                orders.append(pay(uow, buyer, *op[1]))
            elif op[0] == "refund" and orders:
                order = orders[op[1] % len(orders)]
                line = order.lines[op[2] % len(order.lines)]
                fen = min(op[3], line.paid_fen - refunds.get(line.line_id, 0))
                if fen > 0:
                    refunds[line.line_id] = refunds.get(line.line_id, 0) + fen
                    claw_back(uow, order.order_id, f"R{order.order_id}-{n}", [(line.line_id, fen)])
            elif op[0] == "deliver" and orders:
                mark_delivered(uow, orders[op[1] % len(orders)].order_id, POLICY)
            elif op[0] == "release":
                clock.advance(days=op[1])
                release_frozen(uow, POLICY)
        uow.commit()


@SETTINGS
@given(st.lists(op_st, min_size=1, max_size=25))
def test_balances_are_the_sum_of_entries_and_commission_stays_within_rates(
    sqlite_db: Database, ops: list[tuple]
) -> None:
    db = sqlite_db
    with db.uow() as uow:
        uow.session.execute(CommissionEntry.__table__.delete())
        uow.commit()
    names = [f"o{x}{uuid.uuid4().hex[:12]}" for x in "ABC"]  # unique per example: the DB outlives it
    a, b, c = chain(db, *names)
    orders: list[CommissionInput] = []
    refunds: dict[int, int] = {}
    _apply(db, ops, c.customer_id, orders, refunds, names[1])
    with db.uow() as uow:
        ids = list(uow.session.scalars(select(Distributor.id)))
        total = uow.session.scalar(select(func.coalesce(func.sum(CommissionEntry.amount_fen), 0)))
        assert sum(balances(uow, i).total_fen for i in ids) == total
        assert balances(uow, b.id).withdrawable_fen >= 0  # withdrawals never overdraw
        for order in orders:
            paid = uow.session.scalar(select(func.coalesce(func.sum(CommissionEntry.amount_fen), 0)).where(
                CommissionEntry.order_id == order.order_id, CommissionEntry.reason == EntryReason.COMMISSION))
            assert paid <= max_commission_fen(order, POLICY)
            net = uow.session.scalar(select(func.sum(CommissionEntry.amount_fen)).where(
                CommissionEntry.order_id == order.order_id))
            if all(refunds.get(ln.line_id, 0) == ln.paid_fen for ln in order.lines):
                assert (net or 0) == 0
            assert (net or 0) >= 0
