from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from sqlalchemy import text

from commerce.db import Database
from commerce.distribution import payouts
from commerce.distribution.errors import (
    BankAccountRequired,
    BelowMinimum,
    CallbackRejected,
    DailyCapExceeded,
    InsufficientBalance,
    TrainingRequired,
)
from commerce.distribution.ledger import balances
from commerce.distribution.payout_model import PayoutMethod, PayoutState
from commerce.distribution.payout_port import TransferAccepted, TransferFinished, TransferRequest
from commerce.distribution.policy import DistributionPolicy, Lesson
from commerce.errors import ConsentRequired
from tests.integration.distribution.builders import POLICY, settled_balance

WECHAT = PayoutMethod.WECHAT


class FakeTransfers:
    def __init__(self, state: str = "WAIT_USER_CONFIRM") -> None:
        self.state = state
        self.sent: list[TransferRequest] = []

    def create_transfer(self, req: TransferRequest) -> TransferAccepted:
        self.sent.append(req)
        return TransferAccepted(req.out_bill_no, "TB" + req.out_bill_no, self.state, "pkg")


def _finished(p: payouts.Payout, state: str = "SUCCESS", **kw: object) -> TransferFinished:
    return replace(TransferFinished(p.payout_no, "TB1", state, p.net_fen, p.openid, "ACCOUNT_FROZEN"), **kw)


class TestWithdrawRules:
    def test_a_withdrawal_above_the_balance_is_refused_and_nothing_moves(self, db: Database) -> None:
        b = settled_balance(db, 10_000)
        with db.uow() as uow:
            with pytest.raises(InsufficientBalance) as err:
                payouts.withdraw(uow, "oB", 1_001, WECHAT, POLICY)
            assert err.value.balance_fen == 1000
            assert balances(uow, b.id).withdrawable_fen == 1000

    def test_a_withdrawal_below_the_minimum_is_refused(self, db: Database) -> None:
        settled_balance(db, 10_000)
        with db.uow() as uow, pytest.raises(BelowMinimum):
            payouts.withdraw(uow, "oB", 99, WECHAT, POLICY)

    def test_the_daily_cap_counts_todays_payouts(self, db: Database) -> None:
        settled_balance(db, 100_000)
        capped = replace(POLICY, withdraw_daily_cap_fen=6_000)
        with db.uow() as uow:
            payouts.withdraw(uow, "oB", 5_000, WECHAT, capped)
            with pytest.raises(DailyCapExceeded) as err:
                payouts.withdraw(uow, "oB", 1_001, WECHAT, capped)
            assert err.value.remaining_fen == 1_000

    def test_withdraw_all_takes_the_whole_balance_minus_the_fee(self, db: Database) -> None:
        b = settled_balance(db, 12_345)
        with db.uow() as uow:
            p = payouts.withdraw(uow, "oB", None, WECHAT, replace(POLICY, withdraw_fee_bp=100))
            assert (p.amount_fen, p.fee_fen, p.net_fen, p.state) == (1234, 12, 1222, PayoutState.APPROVED)
            assert balances(uow, b.id).withdrawable_fen == 0

    def test_large_payouts_wait_for_the_merchant(self, db: Database) -> None:
        settled_balance(db, 100_000)
        with db.uow() as uow:
            p = payouts.withdraw(uow, "oB", 10_000, WECHAT, replace(POLICY, auto_approve_payout_below_fen=5_000))
            assert p.state == PayoutState.REQUESTED
            assert payouts.approve_payout(uow, p.payout_no).state == PayoutState.APPROVED

    def test_the_basics_must_be_finished_first_when_required(self, db: Database) -> None:
        settled_balance(db, 10_000)
        policy = replace(POLICY, require_training_before_payout=True, lessons=(Lesson("rules", "规则", "……"),))
        with db.uow() as uow, pytest.raises(TrainingRequired):
            payouts.withdraw(uow, "oB", 500, WECHAT, policy)


def test_two_concurrent_withdrawals_of_the_whole_balance_exactly_one_succeeds(pg_db: Database) -> None:
    b = settled_balance(pg_db, 10_000)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt() -> None:
        with pg_db.uow() as uow:
            barrier.wait()
            try:
                payouts.withdraw(uow, "oB", 1_000, WECHAT, POLICY)
                uow.commit()
                outcomes.append("ok")
            except InsufficientBalance:
                outcomes.append("refused")

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    with pg_db.uow() as uow:
        assert balances(uow, b.id).withdrawable_fen == 0


class TestTransfer:
    def _processing(self, db: Database) -> tuple[int, payouts.Payout]:
        b = settled_balance(db, 10_000)
        gateway = FakeTransfers()
        with db.uow() as uow:
            p = payouts.withdraw(uow, "oB", 1_000, WECHAT, POLICY)
            payouts.start_transfer(uow, gateway, p.payout_no, "佣金提现")
            uow.commit()
        assert p.state == PayoutState.PROCESSING and gateway.sent[0].amount_fen == 1_000
        return b.id, p

    def test_a_confirmed_transfer_marks_the_payout_paid_and_a_replay_changes_nothing(self, db: Database) -> None:
        b_id, p = self._processing(db)
        with db.uow() as uow:
            assert payouts.apply_transfer_result(uow, _finished(p)).state == PayoutState.PAID
            assert payouts.apply_transfer_result(uow, _finished(p)).state == PayoutState.PAID
            assert payouts.apply_transfer_result(uow, _finished(p, "FAIL")).state == PayoutState.PAID
            uow.commit()
            assert balances(uow, b_id).withdrawable_fen == 0 and balances(uow, b_id).withdrawn_fen == 1_000

    def test_a_failed_transfer_returns_the_money_once_with_the_reason(self, db: Database) -> None:
        b_id, p = self._processing(db)
        with db.uow() as uow:
            failed = payouts.apply_transfer_result(uow, _finished(p, "FAIL"))
            payouts.apply_transfer_result(uow, _finished(p, "FAIL"))
            uow.commit()
            assert (failed.state, failed.reason) == (PayoutState.FAILED, "ACCOUNT_FROZEN")
            assert balances(uow, b_id).withdrawable_fen == 1_000

    def test_a_forged_result_with_another_amount_is_rejected(self, db: Database) -> None:
        b_id, p = self._processing(db)
        with db.uow() as uow:
            with pytest.raises(CallbackRejected):
                payouts.apply_transfer_result(uow, _finished(p, amount_fen=99_999))
            assert payouts.find_payout(uow, p.payout_no).state == PayoutState.PROCESSING


class TestBank:
    def test_bank_details_need_separate_consent_and_are_encrypted(self, db: Database) -> None:
        settled_balance(db, 10_000)
        with db.uow() as uow:
            with pytest.raises(BankAccountRequired):
                payouts.withdraw(uow, "oB", 500, PayoutMethod.BANK, POLICY)
            with pytest.raises(ConsentRequired):
                payouts.save_bank_account(uow, "oB", holder_name="李四", card_no="6222 0000 1111 2222",
                                          bank_name="工商银行", consent=False)
            payouts.save_bank_account(uow, "oB", holder_name="李四", card_no="6222 0000 1111 2222",
                                      bank_name="工商银行", consent=True)
            payout_no = payouts.withdraw(uow, "oB", 500, PayoutMethod.BANK, POLICY).payout_no
            uow.commit()
            raw = uow.session.execute(text("SELECT holder_name, card_no, bank_name FROM distributor_bank_accounts")).one()
            assert all(v.startswith("v1:") for v in raw)
        with db.uow() as uow:
            ((payout, account),) = payouts.bank_batch(uow)
            assert account.card_no == "6222000011112222" and payout.state == PayoutState.PROCESSING
            assert payouts.mark_paid(uow, payout_no).state == PayoutState.PAID
            uow.commit()

    def test_a_rejected_payout_returns_the_money(self, db: Database) -> None:
        b = settled_balance(db, 100_000)
        with db.uow() as uow:
            p = payouts.withdraw(uow, "oB", 9_000, WECHAT, replace(POLICY, auto_approve_payout_below_fen=0))
            payouts.reject_payout(uow, p.payout_no, "资料不符")
            assert balances(uow, b.id).withdrawable_fen == 10_000


def test_the_default_policy_is_valid() -> None:
    assert DistributionPolicy().validate()
