"""Distributor money talk: 我的佣金, 提现 100 / 全部提现, 我的推广, 我的团队, 佣金明细.

WeChat Pay wants the payee's real name on a transfer from ¥2,000: the first such withdrawal
shows a one-line notice (what, why, that it goes to WeChat Pay, how to delete it) and waits
for the name — sending it is the consent; 「取消」 stores nothing.  The name is saved
encrypted for the next one; 「删除实名」 deletes it (so does erasing one's personal data).
"""

from __future__ import annotations

import re

from bot import texts
from bot.dialogue.answers import is_escape, is_no
from bot.dialogue.context import Msg, Turn
from bot.dialogue.handlers.distribution import ports
from bot.dialogue.router import Route, router
from bot.dialogue.state import DialogState, Waiting
from bot.messages import TextReply
from commerce.clock import CHINA_TZ, as_utc
from commerce.distribution import ledger, payouts, recruitment, stats
from commerce.distribution.errors import BelowMinimum, DailyCapExceeded, InsufficientBalance, RealNameRequired
from commerce.distribution.payout_model import PayoutMethod, PayoutState
from commerce.money import MoneyFormatError, yuan_to_fen

AMOUNT_RE = re.compile(r"(\d+(?:\.\d{1,2})?)")
ALL_WORDS = ("全部", "全额", "所有", "都提")
BANK_WORDS = ("银行", "卡")
RECENT = 8
REAL_NAME_RE = re.compile(r"^[\u4e00-\u9fa5A-Za-z·. ]{2,20}$")
ALL = "all"


def _balance_fields(b: ledger.Balances) -> dict[str, str]:
    return {"frozen": texts.yuan(b.frozen_fen), "available": texts.yuan(b.available_fen),
            "withdrawable": texts.yuan(b.withdrawable_fen), "withdrawn": texts.yuan(b.withdrawn_fen)}


@router.intent("commission_query")
@router.keyword("我的佣金", "佣金", "查佣金", "佣金余额", "可提现")
def commission(state: DialogState, msg: Msg) -> Turn:
    with msg.ctx.uow() as uow:
        d = recruitment.active_by_openid(uow, msg.openid)
        b = ledger.balances(uow, d.id)
        uow.commit()
    return Turn(state.settled(), TextReply(texts.DIST_BALANCE.format(**_balance_fields(b))))


@router.keyword("我的推广", "推广数据", "推广业绩", "我的业绩")
def my_promotion(state: DialogState, msg: Msg) -> Turn:
    with msg.ctx.uow() as uow:
        d = recruitment.active_by_openid(uow, msg.openid)
        s, b = stats.promotion_stats(uow, d.id), ledger.balances(uow, d.id)
        uow.commit()
    text = texts.DIST_STATS.format(code=d.code, today=s.visits_today, week=s.visits_week, month=s.visits_month,
                                   referrals=s.referrals, orders=s.orders, **_balance_fields(b))
    return Turn(state.settled(), TextReply(text))


@router.keyword("我的团队", "团队", "我的下级")
def my_team(state: DialogState, msg: Msg) -> Turn:
    with msg.ctx.uow() as uow:
        d = recruitment.active_by_openid(uow, msg.openid)
        team = stats.team_summary(uow, d.id)
        uow.commit()
    reward = texts.DIST_TEAM_REWARD_ON if ports().policy.team_rewards_enabled else ""
    text = texts.DIST_TEAM.format(members=team.members, sales=texts.yuan(team.month_sales_fen), reward=reward)
    return Turn(state.settled(), TextReply(text))


@router.keyword("佣金明细", "佣金记录", "收益明细")
def entries(state: DialogState, msg: Msg) -> Turn:
    with msg.ctx.uow() as uow:
        d = recruitment.active_by_openid(uow, msg.openid)
        rows = ledger.recent_entries(uow, d.id, RECENT)
        uow.commit()
    if not rows:
        return Turn(state.settled(), TextReply(texts.DIST_NO_ENTRIES))
    lines = [texts.DIST_ENTRIES_HEAD.format(n=len(rows))] + [
        texts.DIST_ENTRY_LINE.format(
            date=as_utc(e.created_at).astimezone(CHINA_TZ).strftime("%m-%d"),
            reason=texts.DIST_REASONS.get(e.reason, e.reason),
            amount=("+" if e.amount_fen > 0 else "") + texts.yuan(e.amount_fen),
            state=texts.DIST_STATES.get(e.state, e.state),
        )
        for e in rows
    ]
    return Turn(state.settled(), TextReply("\n".join(lines)))


def requested_amount(msg: Msg) -> int | None | str:
    """fen, None for everything, or "" when the message names no amount."""
    if any(w in msg.text for w in ALL_WORDS):
        return None
    m = AMOUNT_RE.search(msg.text)
    if m is not None:
        try:
            return yuan_to_fen(m.group(1))
        except MoneyFormatError:
            return ""
    value = msg.nlu.value("amount")
    return int(value) * 100 if isinstance(value, int) and value > 0 else ""


def _method(msg: Msg) -> PayoutMethod:
    said = str(msg.nlu.value("payout_method") or "") if msg.nlu.intent == "withdraw" else ""
    bank = said == "bank" or any(w in msg.text for w in BANK_WORDS)
    return PayoutMethod.BANK if bank else PayoutMethod.WECHAT


@router.intent("withdraw")
@router.keyword("提现", "全部提现", "我要提现", "申请提现", "提现到微信", "提现到零钱", "全部提出来")
def withdraw(state: DialogState, msg: Msg) -> Turn:
    amount = requested_amount(msg)
    if amount == "":
        with msg.ctx.uow() as uow:
            b = ledger.balances(uow, recruitment.active_by_openid(uow, msg.openid).id)
        return Turn(state.settled(), TextReply(texts.DIST_WITHDRAW_ASK.format(**_balance_fields(b))))
    return withdraw_to_wechat(state, msg, amount if isinstance(amount, int) else None)


def withdraw_to_wechat(state: DialogState, msg: Msg, amount: int | None, prefix: str = "") -> Turn:
    """A WeChat-change payout of `amount` fen (None: everything withdrawable)."""
    p = ports()
    with msg.ctx.uow() as uow:
        try:
            payout = payouts.withdraw(uow, msg.openid, amount, PayoutMethod.WECHAT, p.policy)
        except (BelowMinimum, InsufficientBalance, DailyCapExceeded) as err:
            return Turn(state.settled(), TextReply(prefix + texts.dist_money_error_text(err)))
        except RealNameRequired as err:
            ask = texts.DIST_NAME_ASK.format(amount=texts.yuan(err.amount_fen))
            return Turn(state.ask(Waiting.PAYOUT_NAME, amount=ALL if amount is None else amount), TextReply(ask))
        no, approved, method = payout.payout_no, payout.state == PayoutState.APPROVED, payout.method
        if approved and p.process_payout is not None:
            uow.after_commit(lambda: p.process_payout(no))  # type: ignore[misc]
        uow.commit()
        fields = {"amount": texts.yuan(payout.amount_fen), "fee": texts.yuan(payout.fee_fen),
                  "net": texts.yuan(payout.net_fen), "no": no}
    text = texts.DIST_WITHDRAW_OK.format(next=_next_step(no, approved, method), **fields)
    return Turn(state.settled(), TextReply(prefix + text))


@router.pending(Waiting.PAYOUT_NAME)
def real_name_answer(state: DialogState, msg: Msg) -> Turn | None:
    """The real name for a ¥2,000+ WeChat payout: saved (encrypted), then the withdrawal goes ahead."""
    if is_escape(msg) or is_no(msg):
        return Turn(state.settled(), TextReply(texts.DIST_NAME_REFUSED))
    if router.find(Route.KEYWORD, msg.text) is not None:
        return None  # another command: the question lapses
    name = msg.text.strip()
    if not REAL_NAME_RE.match(name):
        return Turn(state, TextReply(texts.DIST_NAME_BAD))
    with msg.ctx.uow() as uow:
        payouts.save_payout_name(uow, msg.openid, name, consent=True)
        uow.commit()
    amount = state.pending.data.get("amount", ALL) if state.pending else ALL
    return withdraw_to_wechat(state, msg, None if amount == ALL else int(amount), prefix=texts.DIST_NAME_SAVED)


@router.keyword("删除实名", "删除实名信息", "删除我的实名", "删除姓名")
def forget_real_name(state: DialogState, msg: Msg) -> Turn:
    with msg.ctx.uow() as uow:
        had = payouts.forget_payout_name(uow, msg.openid)
        uow.commit()
    return Turn(state.settled(), TextReply(texts.DIST_NAME_DELETED if had else texts.DIST_NAME_NONE))


def _next_step(payout_no: str, approved: bool, method: str) -> str:
    if method == PayoutMethod.BANK:
        return texts.DIST_WITHDRAW_BANK
    if not approved:
        return texts.DIST_WITHDRAW_REVIEW
    url = ports().confirm_url(payout_no) if ports().confirm_url else ""
    return texts.confirm_step_text(url, sandbox=ports().confirm_in_sandbox)
