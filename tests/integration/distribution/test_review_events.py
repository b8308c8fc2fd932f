"""The events the merchant's decisions publish (the chat notices hang on them, see siyu.notifications):
a transfer waiting for the user's confirmation outside the withdrawal's chat reply, and an application
approved or rejected by the merchant — never the chat's own auto-approval."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from commerce import events
from commerce.db import Database
from commerce.distribution import payouts, recruitment
from commerce.distribution.payout_model import PayoutMethod
from commerce.distribution.policy import DistributionPolicy, JoinMode
from commerce.distribution.recruitment import Application
from tests.integration.distribution.builders import POLICY, settled_balance
from tests.integration.distribution.test_payouts import FakeTransfers

KINDS = (events.PayoutAwaitingConfirmation, events.DistributorReviewed)


@pytest.fixture
def published() -> Iterator[list[Any]]:
    seen: list[Any] = []

    def record(_uow: Any, event: Any) -> None:
        seen.append(event)

    for kind in KINDS:
        events.subscribe(kind, record)
    try:
        yield seen
    finally:
        for kind in KINDS:
            events._handlers[kind].remove(record)


def _transfer(db: Database, *, announce: bool, state: str = "WAIT_USER_CONFIRM") -> str:
    settled_balance(db, 3_000_000)
    with db.uow() as uow:
        no = payouts.withdraw(uow, "oB", 30_000, PayoutMethod.WECHAT, POLICY).payout_no  # above auto-approval
        payouts.approve_payout(uow, no)
        payouts.start_transfer(uow, FakeTransfers(state), no, "佣金提现", announce=announce)
        payouts.start_transfer(uow, FakeTransfers(state), no, "佣金提现", announce=announce)  # a retried job
        uow.commit()
    return no


class TestTransferAwaitingConfirmation:
    def test_an_approved_transfer_waiting_for_the_user_is_announced_once(self, db: Database,
                                                                         published: list[Any]) -> None:
        no = _transfer(db, announce=True)
        assert published == [events.PayoutAwaitingConfirmation(no, "oB")]

    def test_the_chat_reply_that_shows_the_link_itself_announces_nothing(self, db: Database,
                                                                        published: list[Any]) -> None:
        _transfer(db, announce=False)
        assert published == []

    def test_a_transfer_that_needs_no_confirmation_is_not_announced(self, db: Database,
                                                                    published: list[Any]) -> None:
        _transfer(db, announce=True, state="ACCEPTED")
        assert published == []


REVIEW = DistributionPolicy(levels_bp=(1000,), mode=JoinMode.REVIEW, auto_approve=False)
FORM = Application("张三", "13800138000", consent=True)


class TestApplicationReviewed:
    def test_approval_and_rejection_are_published_with_the_note(self, db: Database, published: list[Any]) -> None:
        with db.uow() as uow:
            code = recruitment.apply(uow, "oR", REVIEW, FORM).code
            recruitment.reject(uow, code, "资料不完整")
            recruitment.apply(uow, "oR", REVIEW, FORM)
            recruitment.approve(uow, code)
            uow.commit()
        assert [(e.code, e.openid, e.approved, e.note) for e in published] == [
            (code, "oR", False, "资料不完整"), (code, "oR", True, "")]
        assert all(e.applied_at for e in published)

    def test_the_chats_auto_approval_publishes_nothing(self, db: Database, published: list[Any]) -> None:
        with db.uow() as uow:
            recruitment.apply(uow, "oA", POLICY)
            uow.commit()
        assert published == []
