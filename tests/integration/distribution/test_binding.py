from __future__ import annotations

import pytest
from sqlalchemy import select

from commerce import clock
from commerce.customers.services import get_or_create
from commerce.db import Database
from commerce.distribution import recruitment
from commerce.distribution.binding import beneficiary_chain, bind_referral, current_binding, parse_scene
from commerce.distribution.errors import UnknownReferralCode
from commerce.distribution.model import BindingSource, ReferralBinding, ReferralVisit, VisitOutcome
from commerce.distribution.policy import BindingRule, DistributionPolicy
from tests.integration.distribution.builders import POLICY, chain

SCAN = BindingSource.QR_SCAN


class TestScene:
    def test_scene_strings_carry_the_code_and_an_optional_product(self) -> None:
        assert parse_scene("d_AB23CD") is not None and parse_scene("d_AB23CD").code == "AB23CD"  # type: ignore[union-attr]
        assert parse_scene("d_AB23CD_p42").product_id == 42  # type: ignore[union-attr]
        assert parse_scene("promo_2024") is None and parse_scene("") is None


class TestBindRules:
    def test_a_user_scanning_their_own_code_is_not_bound(self, db: Database) -> None:
        (a,) = chain(db, "oA")
        with db.uow() as uow:
            result = bind_referral(uow, "oA", a.code, SCAN, POLICY)
            assert result.outcome == VisitOutcome.SELF
            assert current_binding(uow, a.customer_id) is None
            assert uow.session.scalar(select(ReferralVisit.outcome)) == VisitOutcome.SELF

    def test_a_cycle_a_b_a_is_refused(self, db: Database) -> None:
        a, b = chain(db, "oA", "oB")  # B is bound to A
        with db.uow() as uow:
            result = bind_referral(uow, "oA", b.code, SCAN, DistributionPolicy(binding=BindingRule.LAST_TOUCH))
            assert result.outcome == VisitOutcome.CYCLE
            assert current_binding(uow, a.customer_id) is None
            assert [x.distributor_id for x in beneficiary_chain(uow, b.customer_id, POLICY)] == [a.id]

    def test_first_touch_wins_by_default(self, db: Database) -> None:
        a, b = chain(db, "oA", "oB")
        with db.uow() as uow:
            bind_referral(uow, "oX", a.code, SCAN, POLICY)
            assert bind_referral(uow, "oX", b.code, SCAN, POLICY).outcome == VisitOutcome.KEPT_EXISTING
            assert bind_referral(uow, "oX", a.code, SCAN, POLICY).outcome == VisitOutcome.KEPT_EXISTING
            buyer = get_or_create(uow, "oX")
            assert current_binding(uow, buyer.id).distributor_id == a.id  # type: ignore[union-attr]

    def test_last_touch_rebinds_and_keeps_the_history(self, db: Database) -> None:
        a, b = chain(db, "oA", "oB")
        last = DistributionPolicy(binding=BindingRule.LAST_TOUCH)
        with db.uow() as uow:
            bind_referral(uow, "oX", a.code, BindingSource.LINK, last, product_id=9)
            assert bind_referral(uow, "oX", b.code, SCAN, last).outcome == VisitOutcome.REBOUND
            rows = list(uow.session.scalars(select(ReferralBinding).order_by(ReferralBinding.id)))
            assert [(r.distributor_id, r.ended_reason) for r in rows][-2:] == [(a.id, "replaced"), (b.id, "")]
            assert rows[-2].source == BindingSource.LINK and rows[-2].scene == f"d_{a.code}_p9"

    def test_a_binding_expires_after_binding_days(self, db: Database) -> None:
        a, b = chain(db, "oA", "oB")
        policy = DistributionPolicy(binding_days=30)
        with db.uow() as uow:
            bind_referral(uow, "oX", a.code, SCAN, policy)
            clock.advance(days=31)
            assert bind_referral(uow, "oX", b.code, SCAN, policy).outcome == VisitOutcome.BOUND

    def test_an_unknown_or_suspended_code_is_refused(self, db: Database) -> None:
        (a,) = chain(db, "oA")
        with db.uow() as uow:
            with pytest.raises(UnknownReferralCode):
                bind_referral(uow, "oX", "NOPE99", SCAN, POLICY)
            recruitment.suspend(uow, a.code, POLICY)
            with pytest.raises(UnknownReferralCode):
                bind_referral(uow, "oX", a.code, SCAN, POLICY)
