"""Bank-card withdrawals by chat: 提现到银行卡 / 提现 200 到银行卡 / 修改银行卡 / 删除银行卡 / 我的银行卡.

A bank account is sensitive personal information (PIPL art. 28), so the first
time it is needed the bot shows a separate notice (what, why, how long,
encrypted) and asks for its own consent (art. 29) — refusing stores nothing.
Then a three-step form: holder name, bank, card number (digits, 12–19 long,
Luhn checksum).  The form lives in the dialogue state, which is encrypted at
rest; the account is saved encrypted by `payouts.save_bank_account` and only
ever shown masked (工商银行 尾号 1234).  The pending withdrawal amount rides
along in the form, so after saving the bank payout is created at once.

This module re-registers the `withdraw` intent: bank requests come here, the
rest goes on to `distribution_money.withdraw` (WeChat change).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from bot import texts
from bot.dialogue.answers import is_escape, is_no, is_yes
from bot.dialogue.context import Msg, Turn
from bot.dialogue.handlers import distribution_money as money
from bot.dialogue.handlers.distribution import ports
from bot.dialogue.router import Route, router
from bot.dialogue.state import DialogState, Waiting
from bot.messages import TextReply
from commerce.distribution import ledger, payouts, recruitment
from commerce.distribution.errors import BelowMinimum, DailyCapExceeded, InsufficientBalance
from commerce.distribution.payout_model import BankAccount, PayoutMethod

BANK_WORDS = ("银行", "卡")
HOLDER_RE = re.compile(r"^[\u4e00-\u9fa5A-Za-z·. ]{2,20}$")
BANK_RE = re.compile(r"^[\u4e00-\u9fa5]{2,18}(银行|信用社|信用合作联社|农商行|农信社)$")
BANK_ALIASES = {
    "工行": "工商银行", "农行": "农业银行", "中行": "中国银行", "建行": "建设银行", "交行": "交通银行",
    "招行": "招商银行", "邮储": "邮政储蓄银行", "邮政": "邮政储蓄银行", "邮储银行": "邮政储蓄银行",
    "浦发": "浦发银行", "民生": "民生银行", "兴业": "兴业银行", "光大": "光大银行", "中信": "中信银行",
    "华夏": "华夏银行", "广发": "广发银行", "平安": "平安银行",
}
CARD_MIN, CARD_MAX = 12, 19
ALL = "all"


# -- pure checks ---------------------------------------------------------------------------
def normalise_card(text: str) -> str:
    """Full-width digits → ASCII; spaces and dashes dropped (「6222 0200 …」 is how cards are written)."""
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", text))


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def card_problem(card: str) -> str:
    """The Chinese explanation of what is wrong with a (normalised) card number, or ""."""
    if not card.isascii() or not card.isdigit():
        return texts.DIST_BANK_CARD_NOT_DIGITS
    if not CARD_MIN <= len(card) <= CARD_MAX:
        return texts.DIST_BANK_CARD_LENGTH.format(n=len(card))
    if not luhn_ok(card):
        return texts.DIST_BANK_CARD_CHECKSUM
    return ""


def bank_name(text: str) -> str:
    """「工行」/「中国工商银行」/「招商银行」 → the bank's name; "" when it does not look like one."""
    name = re.sub(r"\s", "", unicodedata.normalize("NFKC", text))
    name = BANK_ALIASES.get(name, name)
    return name if BANK_RE.match(name) else ""


def masked(account: BankAccount) -> str:
    return texts.DIST_BANK_CARD.format(bank=account.bank_name, last4=account.card_no[-4:])


def wants_bank(msg: Msg) -> bool:
    said = str(msg.nlu.value("payout_method") or "") if msg.nlu.intent == "withdraw" else ""
    return said == "bank" or any(w in msg.text for w in BANK_WORDS)


# -- withdrawal ----------------------------------------------------------------------------
def _amount_field(msg: Msg) -> int | str:
    amount = money.requested_amount(msg)
    return ALL if amount is None else amount


def _data(state: DialogState) -> dict[str, Any]:
    return dict(state.pending.data) if state.pending is not None else {}


def _withdraw_to_bank(state: DialogState, msg: Msg, amount: int | str, prefix: str = "") -> Turn:
    """Create the bank payout (amount: fen, "all", or "" = ask how much)."""
    with msg.ctx.uow() as uow:
        account = payouts.active_bank_account(uow, msg.openid)
        assert account is not None
        card = masked(account)
        if amount == "":
            b = ledger.balances(uow, recruitment.active_by_openid(uow, msg.openid).id)
            ask = texts.DIST_BANK_WITHDRAW_ASK.format(card=card, withdrawable=texts.yuan(b.withdrawable_fen))
            return Turn(state.settled(), TextReply(prefix + ask))
        try:
            payout = payouts.withdraw(uow, msg.openid, amount if isinstance(amount, int) else None,
                                      PayoutMethod.BANK, ports().policy)
        except (BelowMinimum, InsufficientBalance, DailyCapExceeded) as err:
            return Turn(state.settled(), TextReply(prefix + texts.dist_money_error_text(err)))
        uow.commit()
        text = texts.DIST_WITHDRAW_OK.format(
            amount=texts.yuan(payout.amount_fen), fee=texts.yuan(payout.fee_fen), net=texts.yuan(payout.net_fen),
            no=payout.payout_no, next=texts.DIST_BANK_WITHDRAW_TO.format(card=card) + texts.DIST_WITHDRAW_BANK)
    return Turn(state.settled(), TextReply(prefix + text))


def _bank_request(state: DialogState, msg: Msg) -> Turn:
    amount = _amount_field(msg)
    with msg.ctx.uow() as uow:
        account = payouts.active_bank_account(uow, msg.openid)
    if account is None:
        return Turn(state.ask(Waiting.BANK_CONSENT, amount=amount), TextReply(texts.DIST_BANK_CONSENT))
    return _withdraw_to_bank(state, msg, amount)


@router.intent("withdraw")
def withdraw(state: DialogState, msg: Msg) -> Turn:
    """The withdraw intent: bank card here, WeChat change in `distribution_money`."""
    return _bank_request(state, msg) if wants_bank(msg) else money.withdraw(state, msg)


@router.keyword("提现到银行卡", "提现到卡", "银行卡提现", "提到银行卡", "全部提现到银行卡", "提现到我的银行卡")
def withdraw_to_bank(state: DialogState, msg: Msg) -> Turn:
    return _bank_request(state, msg)


@router.followup("withdraw_to_bank")
def withdraw_to_bank_sentence(state: DialogState, msg: Msg) -> Turn | None:
    """「提现 200 到银行卡」「全部提到卡里」: a withdrawal naming the bank card, whatever the NLU says."""
    text = msg.text
    if len(text) > 24 or "提" not in text or not ("银行卡" in text or "卡里" in text or "卡上" in text):
        return None
    return _bank_request(state, msg)


# -- managing the saved card -----------------------------------------------------------------
@router.keyword("修改银行卡", "更换银行卡", "换银行卡", "换卡", "绑定银行卡", "添加银行卡", "登记银行卡", "改银行卡")
def change_card(state: DialogState, msg: Msg) -> Turn:
    with msg.ctx.uow() as uow:
        recruitment.active_by_openid(uow, msg.openid)  # only distributors have payout cards
    return Turn(state.ask(Waiting.BANK_CONSENT, amount=""), TextReply(texts.DIST_BANK_CONSENT))


@router.keyword("删除银行卡", "解绑银行卡", "删除我的银行卡", "删掉银行卡")
def delete_card(state: DialogState, msg: Msg) -> Turn:
    with msg.ctx.uow() as uow:
        deleted = payouts.delete_bank_accounts(uow, msg.openid)  # BankAccountInUse → its Chinese text
        uow.commit()
    return Turn(state.settled(), TextReply(texts.DIST_BANK_DELETED if deleted else texts.DIST_BANK_NONE))


@router.keyword("我的银行卡", "查看银行卡", "银行卡")
def show_card(state: DialogState, msg: Msg) -> Turn:
    with msg.ctx.uow() as uow:
        account = payouts.active_bank_account(uow, msg.openid)
        text = texts.DIST_BANK_SHOW.format(card=masked(account)) if account else texts.DIST_BANK_NONE
    return Turn(state.settled(), TextReply(text))


# -- the consent and the form ----------------------------------------------------------------
def _is_other_command(msg: Msg) -> bool:
    return router.find(Route.KEYWORD, msg.text) is not None


@router.pending(Waiting.BANK_CONSENT)
def consent_answer(state: DialogState, msg: Msg) -> Turn | None:
    if is_no(msg) or is_escape(msg):
        return Turn(state.settled(), TextReply(texts.DIST_BANK_REFUSED))
    if is_yes(msg):
        return Turn(state.ask(Waiting.BANK_HOLDER, **_data(state)), TextReply(texts.DIST_BANK_ASK_HOLDER))
    if _is_other_command(msg):
        return None
    return Turn(state, TextReply(texts.DIST_BANK_CONSENT))


@router.pending(Waiting.BANK_HOLDER)
def holder_answer(state: DialogState, msg: Msg) -> Turn | None:
    if is_escape(msg):
        return Turn(state.settled(), TextReply(texts.DIST_BANK_CANCELLED))
    if _is_other_command(msg):
        return None
    holder = msg.text.strip()
    if not HOLDER_RE.match(holder):
        return Turn(state, TextReply(texts.DIST_BANK_BAD_HOLDER))
    return Turn(state.ask(Waiting.BANK_NAME, **_data(state), holder=holder), TextReply(texts.DIST_BANK_ASK_BANK))


@router.pending(Waiting.BANK_NAME)
def bank_answer(state: DialogState, msg: Msg) -> Turn | None:
    if is_escape(msg):
        return Turn(state.settled(), TextReply(texts.DIST_BANK_CANCELLED))
    if _is_other_command(msg):
        return None
    name = bank_name(msg.text)
    if not name:
        return Turn(state, TextReply(texts.DIST_BANK_BAD_BANK))
    return Turn(state.ask(Waiting.BANK_CARD, **_data(state), bank=name), TextReply(texts.DIST_BANK_ASK_CARD))


@router.pending(Waiting.BANK_CARD)
def card_answer(state: DialogState, msg: Msg) -> Turn | None:
    if is_escape(msg):
        return Turn(state.settled(), TextReply(texts.DIST_BANK_CANCELLED))
    card = normalise_card(msg.text)
    if not any(ch.isdigit() for ch in card) and _is_other_command(msg):
        return None
    problem = card_problem(card)
    if problem:
        return Turn(state, TextReply(problem))
    data = _data(state)
    with msg.ctx.uow() as uow:
        account = payouts.save_bank_account(uow, msg.openid, holder_name=str(data.get("holder", "")),
                                            card_no=card, bank_name=str(data.get("bank", "")), consent=True)
        saved = texts.DIST_BANK_SAVED.format(card=masked(account))
        uow.commit()
    amount = data.get("amount", "")
    if amount == "":
        return Turn(state.settled(), TextReply(saved + "\n" + texts.DIST_BANK_SAVED_NEXT))
    return _withdraw_to_bank(state, msg, amount if amount == ALL else int(amount), prefix=saved + "\n")
