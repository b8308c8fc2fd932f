"""Bank-card withdrawal by chat: separate consent, the form and its bad input, masked display,
the bank payout, changing and deleting the card — real dialogue engine, real database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select, text

from bot.dialogue import Ctx, Dialogue, StateStore
from bot.dialogue.handlers import distribution as chat_ports
from bot.dialogue.state import KEY_PREFIX
from bot.kv import MemoryKV
from bot.messages import Inbound, TextReply
from commerce.db import Database
from commerce.distribution import payouts
from commerce.distribution.ledger import balances
from commerce.distribution.payout_model import BankAccount, Payout, PayoutMethod, PayoutState
from commerce.privacy import crypto
from nlu.types import Entity, Parse
from tests.integration.distribution.builders import POLICY, settled_balance
from tests.unit.dialogue.fakes import FakeInterpreter, RecordingReferrals

CARD = "6228480012345678903"  # Luhn-valid, 19 digits
CARD2 = "6222020200112230"
CANNED = {
    "提现 5": Parse("提现 5", "withdraw", 0.99),
    "提到卡上吧 3": Parse("提到卡上吧 3", "withdraw", 0.99, (
        Entity("amount", "3", 5, 6, 3), Entity("payout_method", "卡上", 1, 3, "bank"))),
}


@pytest.fixture
def kv() -> MemoryKV:
    return MemoryKV()


@pytest.fixture
def dialogue(db: Database, kv: MemoryKV) -> Iterator[Dialogue]:
    chat_ports.configure(chat_ports.DistributionPorts(policy=POLICY, process_payout=lambda no: None))
    ctx = Ctx(db=db, interpreter=FakeInterpreter(CANNED), shop_name="测试小店", on_referral_scene=RecordingReferrals())
    yield Dialogue(ctx, StateStore(kv))
    chat_ports.configure(chat_ports.DistributionPorts())


@pytest.fixture
def say(db: Database, dialogue: Dialogue) -> Iterator[object]:
    settled_balance(db, 10_000)  # oB has ¥10.00 withdrawable

    def _say(words: str, openid: str = "oB") -> str:
        reply = dialogue.respond(Inbound(openid=openid, kind="text", text=words))
        assert isinstance(reply, TextReply), reply
        return reply.content

    yield _say


def _accounts(db: Database) -> list[BankAccount]:
    with db.uow() as uow:
        rows = list(uow.session.scalars(select(BankAccount).order_by(BankAccount.id)))
        uow.session.expunge_all()
        return rows


def _payouts(db: Database) -> list[Payout]:
    with db.uow() as uow:
        rows = list(uow.session.scalars(select(Payout).order_by(Payout.id)))
        uow.session.expunge_all()
        return rows


def _register(say, card: str = CARD, first: str = "提现 5 到银行卡") -> str:  # type: ignore[no-untyped-def]
    assert "单独同意" in say(first)
    assert "持卡人姓名" in say("同意")
    assert "开户银行" in say("张三")
    assert "银行卡号" in say("工行")
    return str(say(" ".join(card[i:i + 4] for i in range(0, len(card), 4))))


class TestConsent:
    def test_refusing_the_separate_consent_stores_nothing(self, db: Database, say) -> None:  # type: ignore[no-untyped-def]
        notice = say("提现到银行卡")
        assert all(w in notice for w in ("持卡人姓名", "开户银行", "银行卡号", "加密", "删除银行卡", "用途"))
        assert "未收集" in say("不同意")
        assert _accounts(db) == [] and _payouts(db) == []

    def test_cancelling_half_way_stores_nothing(self, db: Database, say) -> None:  # type: ignore[no-untyped-def]
        say("提现到银行卡")
        say("同意")
        say("张三")
        assert "未保存" in say("取消")
        assert _accounts(db) == []

    def test_a_non_distributor_is_told_how_to_join(self, say) -> None:  # type: ignore[no-untyped-def]
        assert "免费加入" in say("提现到银行卡", openid="oNobody")


class TestForm:
    def test_bad_names_banks_and_card_numbers_get_clear_messages_and_the_form_goes_on(
            self, db: Database, say) -> None:  # type: ignore[no-untyped-def]
        say("提现 5 到银行卡")
        say("同意")
        assert "2～20 个汉字" in say("张3!")
        assert "开户银行" in say("张三")
        assert "没认出开户银行" in say("随便")
        assert "银行卡号" in say("建行")
        assert "只能包含数字" in say("6228abcd12345678")
        assert "12～19 位数字，你发送的是 8 位" in say("62284800")
        assert "校验未通过" in say(CARD[:-1] + "4")
        assert _accounts(db) == []
        assert "建设银行 尾号 8903" in say(CARD)
        assert len(_accounts(db)) == 1

    def test_the_card_is_stored_encrypted_shown_masked_and_the_bank_payout_created(
            self, db: Database, say, kv: MemoryKV) -> None:  # type: ignore[no-untyped-def]
        reply = _register(say)
        assert "工商银行 尾号 8903" in reply and "¥5.00" in reply and CARD not in reply
        (account,) = _accounts(db)
        assert (account.holder_name, account.bank_name, account.card_no) == ("张三", "工商银行", CARD)
        assert account.consent_at is not None
        with db.uow() as uow:
            raw = uow.session.execute(text("SELECT holder_name, card_no, bank_name FROM distributor_bank_accounts"))
            for value in raw.one():
                assert crypto.is_encrypted(value) and CARD not in value and "张三" not in value
        (payout,) = _payouts(db)
        assert payout.method == PayoutMethod.BANK and payout.bank_account_id == account.id
        assert payout.amount_fen == 500 and payout.state in (PayoutState.REQUESTED, PayoutState.APPROVED)
        assert "尾号 8903" in say("我的银行卡") and CARD not in say("我的银行卡")

    def test_the_form_in_progress_is_encrypted_in_the_kv(self, say, kv: MemoryKV) -> None:  # type: ignore[no-untyped-def]
        say("提现到银行卡")
        say("同意")
        say("张三丰")
        stored = kv.get(KEY_PREFIX + "oB")
        assert stored is not None and stored.startswith(crypto.PREFIX + ":") and "张三丰" not in stored

    def test_with_a_saved_card_a_withdrawal_goes_straight_to_it(self, db: Database, say) -> None:  # type: ignore[no-untyped-def]
        _register(say)
        reply = say("全部提现到银行卡")
        assert "¥5.00" in reply and "工商银行 尾号 8903" in reply
        assert [p.method for p in _payouts(db)] == [PayoutMethod.BANK, PayoutMethod.BANK]
        with db.uow() as uow:
            assert balances(uow, _payouts(db)[0].distributor_id).withdrawable_fen == 0

    def test_the_nlu_payout_method_entity_means_the_bank(self, db: Database, say) -> None:  # type: ignore[no-untyped-def]
        _register(say, first="提现到银行卡")
        assert "¥3.00" in say("提到卡上吧 3")
        assert [p.amount_fen for p in _payouts(db)] == [300]

    def test_without_an_amount_it_asks_how_much_after_saving(self, db: Database, say) -> None:  # type: ignore[no-untyped-def]
        assert "提现 100 到银行卡" in _register(say, first="提现到银行卡")
        assert "可提现 ¥10.00" in say("提现到银行卡") and _payouts(db) == []

    def test_bad_amounts_still_save_the_card_and_explain(self, db: Database, say) -> None:  # type: ignore[no-untyped-def]
        reply = _register(say, first="提现 500 到银行卡")
        assert "尾号 8903" in reply and "余额不足" in reply
        assert len(_accounts(db)) == 1 and _payouts(db) == []

    def test_wechat_withdrawals_are_unchanged(self, db: Database, say) -> None:  # type: ignore[no-untyped-def]
        say("提现 5")
        assert [p.method for p in _payouts(db)] == [PayoutMethod.WECHAT]


class TestChangeAndDelete:
    def test_changing_the_card_replaces_it(self, db: Database, say) -> None:  # type: ignore[no-untyped-def]
        _register(say)
        assert "单独同意" in say("修改银行卡")
        say("同意")
        say("李四")
        say("招行")
        assert "招商银行 尾号 2230" in say(CARD2)
        with db.uow() as uow:
            assert payouts.active_bank_account(uow, "oB").card_no == CARD2  # type: ignore[union-attr]
        assert len(_accounts(db)) == 2  # the old one stays inactive until deleted (an open payout may need it)

    def test_deleting_waits_for_an_open_bank_payout_then_removes_the_card(self, db: Database, say) -> None:  # type: ignore[no-untyped-def]
        _register(say)
        (payout,) = _payouts(db)
        refused = say("删除银行卡")
        assert payout.payout_no in refused and "处理中" in refused
        assert len(_accounts(db)) == 1
        with db.uow() as uow:
            if payout.state == PayoutState.REQUESTED:
                payouts.approve_payout(uow, payout.payout_no)
            assert [p.payout_no for p, _ in payouts.bank_batch(uow)] == [payout.payout_no]
            payouts.mark_paid(uow, payout.payout_no)
            uow.commit()
        assert "已删除" in say("删除银行卡")
        assert _accounts(db) == []
        assert "还没有登记银行卡" in say("删除银行卡")
        assert "单独同意" in say("提现 1 到银行卡")  # consent is asked again
