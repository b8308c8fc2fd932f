from __future__ import annotations

from sqlalchemy import func, select

from commerce import clock
from commerce.db import Database
from commerce.distribution import recruitment
from commerce.distribution.ledger import balances, claw_back, claw_back_order, mark_delivered, release_frozen
from commerce.distribution.ledger_model import CommissionEntry, EntryState
from commerce.distribution.policy import DistributionPolicy, SuspendedFrozenRule
from tests.integration.distribution.builders import POLICY, chain, pay


def _entries(db: Database) -> list[CommissionEntry]:
    with db.uow() as uow:
        return list(uow.session.scalars(select(CommissionEntry).order_by(CommissionEntry.id)))


class TestCommissionAtPayment:
    def test_a_paid_order_records_pending_commission_for_both_levels(self, db: Database) -> None:
        a, b, c = chain(db, "oA", "oB", "oC")
        with db.uow() as uow:
            pay(uow, c.customer_id, 10_000)
            uow.commit()
            assert balances(uow, b.id).frozen_fen == 1000
            assert balances(uow, a.id).frozen_fen == 500
            assert balances(uow, c.id).total_fen == 0

    def test_commission_is_recorded_once_when_the_pay_event_repeats(self, db: Database) -> None:
        _, b, c = chain(db, "oA", "oB", "oC")
        with db.uow() as uow:
            pay(uow, c.customer_id, 10_000, order_id=7)
            pay(uow, c.customer_id, 10_000, order_id=7)
            uow.commit()
        assert len(_entries(db)) == 2

    def test_self_purchase_pays_nothing_unless_enabled(self, db: Database) -> None:
        a, b = chain(db, "oA", "oB")
        with db.uow() as uow:
            pay(uow, b.customer_id, 10_000)
            assert balances(uow, b.id).total_fen == 0 and balances(uow, a.id).frozen_fen == 1000
            pay(uow, b.customer_id, 10_000, policy=DistributionPolicy(self_purchase_commission=True))
            assert balances(uow, b.id).frozen_fen == 1000 and balances(uow, a.id).frozen_fen == 1500

    def test_suspended_distributors_referral_buying_earns_them_nothing_new(self, db: Database) -> None:
        a, b, c = chain(db, "oA", "oB", "oC")
        with db.uow() as uow:
            recruitment.suspend(uow, b.code, POLICY)
            pay(uow, c.customer_id, 10_000)
            uow.commit()
            assert balances(uow, b.id).total_fen == 0
            assert balances(uow, a.id).frozen_fen == 500  # level 2 is still level 2


class TestFreezeWindow:
    def test_commission_becomes_available_only_after_delivery_plus_freeze_days(self, db: Database) -> None:
        _, b, c = chain(db, "oA", "oB", "oC")
        with db.uow() as uow:
            order = pay(uow, c.customer_id, 10_000)
            assert release_frozen(uow, POLICY) == 0  # not delivered: stays frozen forever
            mark_delivered(uow, order.order_id, POLICY)
            clock.advance(days=6)
            assert release_frozen(uow, POLICY) == 0
            clock.advance(days=1, seconds=1)
            assert release_frozen(uow, POLICY) == 2
            uow.commit()
            assert balances(uow, b.id).available_fen == 1000

    def test_a_suspended_distributors_frozen_commission_is_held_until_resumed(self, db: Database) -> None:
        _, b, c = chain(db, "oA", "oB", "oC")
        with db.uow() as uow:
            order = pay(uow, c.customer_id, 10_000)
            mark_delivered(uow, order.order_id, POLICY)
            recruitment.suspend(uow, b.code, POLICY)
            clock.advance(days=8)
            release_frozen(uow, POLICY)
            assert balances(uow, b.id).frozen_fen == 1000
            recruitment.resume(uow, b.code)
            release_frozen(uow, POLICY)
            assert balances(uow, b.id).available_fen == 1000

    def test_the_forfeit_rule_takes_back_frozen_commission_at_suspension(self, db: Database) -> None:
        a, b, c = chain(db, "oA", "oB", "oC")
        forfeit = DistributionPolicy(suspended_frozen=SuspendedFrozenRule.FORFEIT)
        with db.uow() as uow:
            order = pay(uow, c.customer_id, 10_000)
            recruitment.suspend(uow, b.code, forfeit)
            recruitment.suspend(uow, a.code, forfeit)
            recruitment.resume(uow, a.code)
            recruitment.suspend(uow, a.code, forfeit)  # a second suspension forfeits nothing twice
            mark_delivered(uow, order.order_id, forfeit)
            clock.advance(days=8)
            release_frozen(uow, DistributionPolicy(suspended_frozen=SuspendedFrozenRule.KEEP))
            assert balances(uow, b.id).total_fen == 0 and balances(uow, a.id).total_fen == 0


class TestClawBack:
    def test_a_partial_refund_claws_back_proportionally_by_line(self, db: Database) -> None:
        _, b, c = chain(db, "oA", "oB", "oC")
        with db.uow() as uow:
            order = pay(uow, c.customer_id, 10_000, 5_000)
            first_line = order.lines[0].line_id
            claw_back(uow, order.order_id, "RF1", [(first_line, 2_500)])
            claw_back(uow, order.order_id, "RF1", [(first_line, 2_500)])  # replayed refund: nothing more
            assert balances(uow, b.id).frozen_fen == 1000 + 500 - 250

    def test_a_full_refund_nets_to_zero(self, db: Database) -> None:
        a, b, c = chain(db, "oA", "oB", "oC")
        with db.uow() as uow:
            order = pay(uow, c.customer_id, 3_333, 1)
            claw_back(uow, order.order_id, "RF1", [(order.lines[0].line_id, 1_111)])
            claw_back(uow, order.order_id, "RF2", [(ln.line_id, ln.paid_fen) for ln in order.lines])
            claw_back_order(uow, order.order_id, "cancel")
            uow.commit()
            assert balances(uow, a.id).total_fen == 0 and balances(uow, b.id).total_fen == 0
            assert uow.session.scalar(select(func.sum(CommissionEntry.amount_fen))) == 0

    def test_a_claw_back_of_released_commission_is_available_too(self, db: Database) -> None:
        _, b, c = chain(db, "oA", "oB", "oC")
        with db.uow() as uow:
            order = pay(uow, c.customer_id, 10_000)
            mark_delivered(uow, order.order_id, POLICY)
            clock.advance(days=8)
            release_frozen(uow, POLICY)
            claw_back(uow, order.order_id, "RF1", [(order.lines[0].line_id, 10_000)])
            assert balances(uow, b.id).available_fen == 0
            states = {e.state for e in uow.session.scalars(select(CommissionEntry))}
            assert states == {EntryState.AVAILABLE}
