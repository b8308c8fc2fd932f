from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from commerce import clock
from commerce.db import Database
from commerce.distribution.ledger import balances, claw_back, mark_delivered, release_frozen
from commerce.distribution.ledger_model import CommissionEntry, EntryReason, EntryState, SettlementStatement
from commerce.distribution.settlement import period_key, settle, statements_for
from tests.integration.distribution.builders import POLICY, chain, pay


def _deliver_and_release(db: Database, *order_ids: int) -> None:
    with db.uow() as uow:
        for oid in order_ids:
            mark_delivered(uow, oid, POLICY)
        clock.advance(days=8)
        release_frozen(uow, POLICY)
        uow.commit()


class TestSettle:
    def test_period_keys_follow_china_time(self) -> None:
        sunday_night_utc = datetime(2026, 11, 22, 17, 0, tzinfo=UTC)  # Monday 01:00 in China
        assert period_key("weekly", sunday_night_utc) == "weekly:2026-W48"
        assert period_key("monthly", datetime(2026, 11, 30, 16, 30, tzinfo=UTC)) == "monthly:2026-12"

    def test_available_commission_is_settled_with_a_statement_per_distributor(self, db: Database) -> None:
        a, b, c = chain(db, "oA", "oB", "oC")
        with db.uow() as uow:
            o1, o2 = pay(uow, c.customer_id, 10_000), pay(uow, c.customer_id, 2_000)
            uow.commit()
        _deliver_and_release(db, o1.order_id, o2.order_id)
        with db.uow() as uow:
            result = settle(uow, "weekly", POLICY)
            uow.commit()
            assert (result.created, result.entry_count, result.distributor_count, result.total_fen) == (
                True, 4, 2, 1200 + 600)
            assert balances(uow, b.id).withdrawable_fen == 1200
            (key, stmt), = statements_for(uow, b.id)
            assert key == result.period_key and (stmt.entry_count, stmt.commission_fen, stmt.total_fen) == (2, 1200, 1200)

    def test_running_the_same_period_twice_settles_nothing_twice(self, db: Database) -> None:
        _, b, c = chain(db, "oA", "oB", "oC")
        with db.uow() as uow:
            o1 = pay(uow, c.customer_id, 10_000)
            uow.commit()
        _deliver_and_release(db, o1.order_id)
        with db.uow() as uow:
            first = settle(uow, "weekly", POLICY, key="weekly:2026-W01")
            uow.commit()
        with db.uow() as uow:
            again = settle(uow, "weekly", POLICY, key="weekly:2026-W01")
            uow.commit()
            assert not again.created and again.batch_id == first.batch_id
            assert len(list(uow.session.scalars(select(SettlementStatement)))) == 2

    def test_a_refund_after_settlement_becomes_a_negative_entry_offsetting_the_next_batch(self, db: Database) -> None:
        _, b, c = chain(db, "oA", "oB", "oC")
        with db.uow() as uow:
            o1 = pay(uow, c.customer_id, 10_000)
            uow.commit()
        _deliver_and_release(db, o1.order_id)
        with db.uow() as uow:
            settle(uow, "weekly", POLICY, key="w1")
            claw_back(uow, o1.order_id, "RF-late", [(o1.lines[0].line_id, 4_000)])
            uow.commit()
            neg = uow.session.scalar(select(CommissionEntry).where(
                CommissionEntry.reason == EntryReason.CLAWBACK, CommissionEntry.distributor_id == b.id))
            assert neg is not None and (neg.amount_fen, neg.state) == (-400, EntryState.AVAILABLE)
            assert balances(uow, b.id).withdrawable_fen == 1000
        with db.uow() as uow:
            second = settle(uow, "weekly", POLICY, key="w2")
            uow.commit()
            assert second.total_fen == -400 - 200
            assert balances(uow, b.id).withdrawable_fen == 600


def test_grades_rise_with_own_sales_at_settlement_and_never_by_recruiting(db: Database) -> None:
    from dataclasses import replace

    from commerce.distribution.model import Distributor
    from commerce.distribution.policy import Grade

    graded = replace(POLICY, grades=(Grade("junior", "初级", 0, (1000, 500)), Grade("senior", "高级", 20_000, (1500, 500))))
    a, b, c = chain(db, "oA", "oB", "oC", "oD")[:3]
    with db.uow() as uow:
        order = pay(uow, c.customer_id, 30_000, policy=graded)  # sold by c's referrer b
        mark_delivered(uow, order.order_id, graded)
        clock.advance(days=8)
        release_frozen(uow, graded)
        settle(uow, "weekly", graded, key="g1")
        uow.commit()
        grades = {d.id: d.grade for d in uow.session.scalars(select(Distributor))}
    assert grades[b.id] == "senior"  # own sales ¥300 ≥ ¥200
    assert grades[a.id] == "" or grades[a.id] == "junior"  # recruiting b and c earns a nothing
    assert grades[a.id] != "senior"
