from __future__ import annotations

import pytest
from sqlalchemy import text

from commerce.db import Database
from commerce.distribution import recruitment
from commerce.distribution.errors import (
    AlreadyDistributor,
    ApplicationIncomplete,
    DistributionDisabled,
    InvitationRequired,
)
from commerce.distribution.model import DistributorStatus
from commerce.distribution.policy import DistributionPolicy, JoinMode
from commerce.distribution.recruitment import Application
from commerce.errors import ConsentRequired, IllegalTransition

REVIEW = DistributionPolicy(mode=JoinMode.REVIEW, auto_approve=False)
FORM = Application(real_name="张三", phone="13800138000", consent=True)


class TestOpenMode:
    def test_anyone_becomes_a_distributor_at_once_for_free(self, db: Database) -> None:
        with db.uow() as uow:
            d = recruitment.apply(uow, "oA", DistributionPolicy())
            uow.commit()
            assert d.status == DistributorStatus.ACTIVE and d.join_fee_fen == 0 and len(d.code) == 6

    def test_applying_twice_says_so(self, db: Database) -> None:
        with db.uow() as uow:
            recruitment.apply(uow, "oA", DistributionPolicy())
            with pytest.raises(AlreadyDistributor):
                recruitment.apply(uow, "oA", DistributionPolicy())

    def test_nobody_joins_when_distribution_is_off(self, db: Database) -> None:
        with db.uow() as uow, pytest.raises(DistributionDisabled):
            recruitment.apply(uow, "oA", DistributionPolicy(enabled=False))


class TestReviewMode:
    def test_the_form_needs_name_phone_and_consent(self, db: Database) -> None:
        with db.uow() as uow:
            with pytest.raises(ApplicationIncomplete):
                recruitment.apply(uow, "oA", REVIEW, Application(real_name="张三"))
            with pytest.raises(ConsentRequired):
                recruitment.apply(uow, "oA", REVIEW, Application(real_name="张三", phone="13800138000"))

    def test_the_merchant_approves_or_rejects_and_a_rejected_user_may_reapply(self, db: Database) -> None:
        with db.uow() as uow:
            d = recruitment.apply(uow, "oA", REVIEW, FORM)
            assert d.status == DistributorStatus.APPLIED
            assert recruitment.pending_applications(uow) == [d]
            recruitment.reject(uow, d.code, "资料不全")
            recruitment.apply(uow, "oA", REVIEW, FORM)
            assert recruitment.approve(uow, d.id).status == DistributorStatus.ACTIVE
            with pytest.raises(IllegalTransition):
                recruitment.approve(uow, d.code)
            uow.commit()

    def test_personal_data_from_the_form_is_encrypted_at_rest(self, db: Database) -> None:
        with db.uow() as uow:
            recruitment.apply(uow, "oA", REVIEW, FORM)
            uow.commit()
            stored = uow.session.execute(text("SELECT real_name, phone FROM distributors")).one()
            assert all(v.startswith("v1:") for v in stored)


class TestInviteMode:
    def test_an_invitation_code_is_needed_and_used_up(self, db: Database) -> None:
        policy = DistributionPolicy(mode=JoinMode.INVITE)
        with db.uow() as uow:
            inv = recruitment.invite(uow, max_uses=1)
            with pytest.raises(InvitationRequired):
                recruitment.apply(uow, "oA", policy, Application(invitation_code="WRONG"))
            assert recruitment.apply(uow, "oA", policy, Application(invitation_code=inv.code)).is_active
            with pytest.raises(InvitationRequired):
                recruitment.apply(uow, "oB", policy, Application(invitation_code=inv.code))
