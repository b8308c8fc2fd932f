"""Withdrawals (提现): request, approve, transfer, finish.  Money moves only through ledger entries.

A request debits the withdrawable (settled) balance at once with a `withdrawal`
entry, under the distributor's row lock, so two concurrent requests for the whole
balance cannot both pass.  A failed or rejected payout credits it back with a
`payout_reversal` entry (idempotent per payout).  The fee (bp) is kept from the
amount; the distributor receives `net_fen`.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, time

from sqlalchemy import func, select

from commerce import events
from commerce.clock import CHINA_TZ, as_utc, now
from commerce.db import UnitOfWork
from commerce.distribution import recruitment
from commerce.distribution.errors import (
    BankAccountInUse,
    BankAccountRequired,
    BelowMinimum,
    CallbackRejected,
    DailyCapExceeded,
    InsufficientBalance,
    RealNameRequired,
    TrainingRequired,
)
from commerce.distribution.ledger import add_entries, balances, lock_distributor
from commerce.distribution.ledger_model import CommissionEntry, EntryReason, EntryState
from commerce.distribution.model import Distributor
from commerce.distribution.payout_model import BankAccount, Payout, PayoutMethod, PayoutState
from commerce.distribution.payout_port import (
    CONFIRM_EXPIRED,
    CONFIRM_WINDOW,
    NAME_CHECK_FAILED,
    TRANSFER_CANCELLED,
    TRANSFER_FAILED_STATES,
    TRANSFER_SUCCESS,
    TRANSFER_WAIT_USER_CONFIRM,
    PayoutGateway,
    TransferFinished,
    TransferRequest,
    needs_user_name,
)
from commerce.distribution.policy import DistributionPolicy
from commerce.distribution.training import basics_remaining
from commerce.errors import ConsentRequired, NotFound
from commerce.money import apply_rate_bp

REAL_NAME_MISSING = "REAL_NAME_MISSING"  # a payout's reason when the saved name was erased before the transfer


def _day_start() -> datetime:
    """Midnight today in China, as UTC (SQLite compares datetimes as UTC text)."""
    return datetime.combine(now().astimezone(CHINA_TZ).date(), time(0), CHINA_TZ).astimezone(UTC)


def withdrawn_today_fen(uow: UnitOfWork, distributor_id: int) -> int:
    return int(uow.session.scalar(select(func.coalesce(func.sum(Payout.amount_fen), 0)).where(
        Payout.distributor_id == distributor_id, Payout.state != PayoutState.FAILED,
        Payout.requested_at >= _day_start())) or 0)


def _check_amount(uow: UnitOfWork, d: Distributor, amount_fen: int | None, policy: DistributionPolicy) -> int:
    balance = balances(uow, d.id).withdrawable_fen
    amount = balance if amount_fen is None else amount_fen
    if amount < policy.withdraw_min_fen:
        raise BelowMinimum(amount, policy.withdraw_min_fen)
    if amount > balance:
        raise InsufficientBalance(amount, max(balance, 0))
    remaining = policy.withdraw_daily_cap_fen - withdrawn_today_fen(uow, d.id)
    if amount > remaining:
        raise DailyCapExceeded(amount, max(remaining, 0))
    return amount


def _bank_account(uow: UnitOfWork, distributor_id: int) -> BankAccount | None:
    return uow.session.scalar(select(BankAccount).where(
        BankAccount.distributor_id == distributor_id, BankAccount.active.is_(True)).order_by(BankAccount.id.desc()))


def withdraw(
    uow: UnitOfWork, openid: str, amount_fen: int | None, method: PayoutMethod, policy: DistributionPolicy
) -> Payout:
    """Request a payout of `amount_fen` (None = everything withdrawable)."""
    d = recruitment.active_by_openid(uow, openid)
    lock_distributor(uow, d.id)
    if policy.require_training_before_payout and (left := basics_remaining(uow, d.id, policy)):
        raise TrainingRequired(left)
    bank = _bank_account(uow, d.id) if method == PayoutMethod.BANK else None
    if method == PayoutMethod.BANK and bank is None:
        raise BankAccountRequired()
    amount = _check_amount(uow, d, amount_fen, policy)
    fee = apply_rate_bp(amount, policy.withdraw_fee_bp)
    if method == PayoutMethod.WECHAT and needs_user_name(amount - fee) and not d.payout_real_name:
        raise RealNameRequired(amount - fee)
    payout = Payout(payout_no="PO" + now().astimezone(CHINA_TZ).strftime("%Y%m%d") + secrets.token_hex(6).upper(),
                    distributor_id=d.id, openid=openid, method=method, amount_fen=amount, fee_fen=fee,
                    net_fen=amount - fee, bank_account_id=bank.id if bank else None, requested_at=now(),
                    state=PayoutState.REQUESTED)
    uow.session.add(payout)
    uow.session.flush()
    add_entries(uow, [CommissionEntry(
        distributor_id=d.id, amount_fen=-amount, state=EntryState.SETTLED, reason=EntryReason.WITHDRAWAL,
        idempotency_key=f"w:{payout.payout_no}", ref=payout.payout_no)])
    if amount < policy.auto_approve_payout_below_fen:
        payout.transition_to(PayoutState.APPROVED)
        payout.approved_by = "auto"
    return payout


def find_payout(uow: UnitOfWork, payout_no: str, *, lock: bool = False) -> Payout:
    stmt = select(Payout).where(Payout.payout_no == payout_no)
    payout = uow.session.scalar(stmt.with_for_update() if lock else stmt)
    if payout is None:
        raise NotFound("payout", payout_no)
    return payout


def approve_payout(uow: UnitOfWork, payout_no: str, by: str = "merchant") -> Payout:
    payout = find_payout(uow, payout_no, lock=True)
    payout.transition_to(PayoutState.APPROVED)
    payout.approved_by = by
    return payout


def fail_payout(uow: UnitOfWork, payout: Payout, reason: str) -> Payout:
    """→ failed, and the money goes back to the balance (once)."""
    payout.transition_to(PayoutState.FAILED)
    payout.reason = reason[:255]
    add_entries(uow, [CommissionEntry(
        distributor_id=payout.distributor_id, amount_fen=payout.amount_fen, state=EntryState.SETTLED,
        reason=EntryReason.PAYOUT_REVERSAL, idempotency_key=f"v:{payout.payout_no}", ref=payout.payout_no,
        note=reason[:255])])
    if reason in NAME_CHECK_FAILED:  # WeChat Pay says the name is wrong: ask again next time
        d = uow.session.get(Distributor, payout.distributor_id)
        if d is not None:
            d.payout_real_name = d.payout_name_consent_at = None
    events.publish(uow, events.PayoutFinished(payout.payout_no, payout.openid, paid=False))
    return payout


def _paid(uow: UnitOfWork, payout: Payout) -> Payout:
    payout.transition_to(PayoutState.PAID)
    events.publish(uow, events.PayoutFinished(payout.payout_no, payout.openid, paid=True))
    return payout


def reject_payout(uow: UnitOfWork, payout_no: str, reason: str) -> Payout:
    return fail_payout(uow, find_payout(uow, payout_no, lock=True), reason or "rejected by merchant")


def start_transfer(uow: UnitOfWork, gateway: PayoutGateway, payout_no: str, remark: str, *,
                   announce: bool = True) -> Payout:
    """approved WeChat payout → processing (the user then confirms in WeChat); from ¥2,000 with the saved
    real name (WeChat refuses the bill without it).  A bill waiting for the user's confirmation publishes
    `PayoutAwaitingConfirmation` unless `announce` is False: the withdrawal's own chat reply, which already
    shows the confirmation step, passes False."""
    payout = find_payout(uow, payout_no, lock=True)
    if payout.state != PayoutState.APPROVED or payout.method != PayoutMethod.WECHAT:
        return payout
    user_name = None
    if needs_user_name(payout.net_fen):
        d = uow.session.get(Distributor, payout.distributor_id)
        user_name = d.payout_real_name if d is not None else None
        if not user_name:  # erased since the request: WeChat would refuse the bill
            return fail_payout(uow, payout, REAL_NAME_MISSING)
    accepted = gateway.create_transfer(TransferRequest(payout.payout_no, payout.openid, payout.net_fen, remark,
                                                       user_name))
    if accepted.state in TRANSFER_FAILED_STATES:
        return fail_payout(uow, payout, accepted.fail_reason or accepted.state)
    payout.transition_to(PayoutState.PROCESSING)  # WAIT_USER_CONFIRM (package_info), ACCEPTED, PROCESSING…
    payout.transfer_bill_no, payout.package_info = accepted.transfer_bill_no, accepted.package_info[:512]
    if accepted.state == TRANSFER_SUCCESS:  # a scene without user confirmation can finish at once
        _paid(uow, payout)
    elif accepted.state == TRANSFER_WAIT_USER_CONFIRM and announce:
        events.publish(uow, events.PayoutAwaitingConfirmation(payout.payout_no, payout.openid))
    return payout


def apply_transfer_result(uow: UnitOfWork, result: TransferFinished) -> Payout:
    """Idempotent: a replayed callback for a finished payout changes nothing."""
    payout = find_payout(uow, result.out_bill_no, lock=True)
    if result.amount_fen != payout.net_fen or result.openid != payout.openid:
        raise CallbackRejected(f"{result.out_bill_no}: amount/openid do not match the payout")
    return finish_transfer(uow, payout, result.state, result.transfer_bill_no, result.fail_reason)


def finish_transfer(uow: UnitOfWork, payout: Payout, state: str, transfer_bill_no: str = "",
                    fail_reason: str = "") -> Payout:
    """A transfer's final state (from the callback or a query) → paid | failed; anything else, or a payout
    already finished, changes nothing.  The caller holds the payout's row lock."""
    if payout.state in (PayoutState.PAID, PayoutState.FAILED):
        return payout
    if state == TRANSFER_SUCCESS:
        payout.transfer_bill_no = transfer_bill_no or payout.transfer_bill_no
        _paid(uow, payout)
    elif state in TRANSFER_FAILED_STATES:
        fail_payout(uow, payout, fail_reason or _unexplained_failure(payout, state))
    return payout


def _unexplained_failure(payout: Payout, state: str) -> str:
    """A bill cancelled without a reason once the user's confirmation window has passed: unconfirmed."""
    if state == TRANSFER_CANCELLED and now() - as_utc(payout.updated_at) >= CONFIRM_WINDOW:
        return CONFIRM_EXPIRED
    return state


def save_payout_name(uow: UnitOfWork, openid: str, real_name: str, *, consent: bool) -> Distributor:
    """The payee's real name for WeChat-change payouts from ¥2,000 (given to WeChat Pay: its own consent)."""
    if not consent:
        raise ConsentRequired("real name for WeChat Pay transfers")
    d = recruitment.active_by_openid(uow, openid)
    d.payout_real_name, d.payout_name_consent_at = real_name.strip(), now()
    return d


def forget_payout_name(uow: UnitOfWork, openid: str) -> bool:
    """Delete the saved payout name (PIPL 47); False if there was none."""
    d = recruitment.active_by_openid(uow, openid)
    had = bool(d.payout_real_name)
    d.payout_real_name = d.payout_name_consent_at = None
    return had


def save_bank_account(
    uow: UnitOfWork, openid: str, *, holder_name: str, card_no: str, bank_name: str, consent: bool
) -> BankAccount:
    """Bank details need their own, separate consent (PIPL art. 28/29); stored encrypted."""
    if not consent:
        raise ConsentRequired("bank account for payouts")
    d = recruitment.active_by_openid(uow, openid)
    for old in uow.session.scalars(select(BankAccount).where(BankAccount.distributor_id == d.id)):
        old.active = False
    account = BankAccount(distributor_id=d.id, holder_name=holder_name.strip(), card_no=card_no.replace(" ", ""),
                          bank_name=bank_name.strip(), consent_at=now())
    uow.session.add(account)
    uow.session.flush()
    return account


def active_bank_account(uow: UnitOfWork, openid: str) -> BankAccount | None:
    """The account bank payouts go to now (None: none saved yet)."""
    return _bank_account(uow, recruitment.active_by_openid(uow, openid).id)


OPEN_PAYOUT_STATES = (PayoutState.REQUESTED, PayoutState.APPROVED, PayoutState.PROCESSING)


def delete_bank_accounts(uow: UnitOfWork, openid: str) -> int:
    """Delete the distributor's saved bank accounts (PIPL 47); refused while an open payout needs one."""
    d = recruitment.active_by_openid(uow, openid)
    lock_distributor(uow, d.id)
    open_no = uow.session.scalar(select(Payout.payout_no).where(
        Payout.distributor_id == d.id, Payout.method == PayoutMethod.BANK, Payout.state.in_(OPEN_PAYOUT_STATES))
        .order_by(Payout.id).limit(1))
    if open_no is not None:
        raise BankAccountInUse(open_no)
    accounts = list(uow.session.scalars(select(BankAccount).where(BankAccount.distributor_id == d.id)))
    for account in accounts:
        uow.session.delete(account)
    uow.session.flush()
    return len(accounts)


def bank_batch(uow: UnitOfWork) -> list[tuple[Payout, BankAccount]]:
    """Approved bank payouts → processing, with their accounts, for the exported batch file."""
    rows = uow.session.execute(
        select(Payout, BankAccount).join(BankAccount, BankAccount.id == Payout.bank_account_id)
        .where(Payout.method == PayoutMethod.BANK, Payout.state == PayoutState.APPROVED).order_by(Payout.id)
        .with_for_update(of=Payout)
    ).tuples().all()
    for payout, _ in rows:
        payout.transition_to(PayoutState.PROCESSING)
    return list(rows)


def mark_paid(uow: UnitOfWork, payout_no: str) -> Payout:
    return _paid(uow, find_payout(uow, payout_no, lock=True))


def payouts_for(uow: UnitOfWork, distributor_id: int, limit: int = 10) -> list[Payout]:
    return list(uow.session.scalars(select(Payout).where(Payout.distributor_id == distributor_id)
                                    .order_by(Payout.id.desc()).limit(limit)))


def pending_payouts(uow: UnitOfWork) -> list[Payout]:
    return list(uow.session.scalars(select(Payout).where(Payout.state == PayoutState.REQUESTED).order_by(Payout.id)))


def transfers_to_retry(uow: UnitOfWork, limit: int = 100) -> list[str]:
    """Approved WeChat-change payouts whose transfer request has not been accepted yet (API was down)."""
    return list(uow.session.scalars(
        select(Payout.payout_no).where(Payout.state == PayoutState.APPROVED, Payout.method == PayoutMethod.WECHAT)
        .order_by(Payout.id).limit(limit)))
