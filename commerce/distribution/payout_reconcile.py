"""Reconciling WeChat-change payouts whose transfer callback never arrived.

A payout in `processing` waits for MCHTRANSFER.BILL.FINISHED.  If that callback
is lost, the payout would wait forever; reconciliation asks WeChat Pay (query by
out_bill_no) and applies the answer through the same idempotent transitions as
the callback (`payouts.finish_transfer`): SUCCESS → paid, FAIL / CANCELLED →
failed with the money back.  A bill the user still has not confirmed after
WeChat's confirmation window is cancelled first, then failed as `CONFIRM_EXPIRED`.
A callback arriving afterwards finds the payout finished and changes nothing.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from sqlalchemy import select

from commerce.clock import as_utc, now
from commerce.db import UnitOfWork
from commerce.distribution.payout_model import Payout, PayoutMethod, PayoutState
from commerce.distribution.payout_port import (
    CONFIRM_EXPIRED,
    CONFIRM_WINDOW,
    TRANSFER_CANCELLED,
    TRANSFER_FAILED_STATES,
    TRANSFER_SUCCESS,
    TRANSFER_WAIT_USER_CONFIRM,
    TransferLookup,
)
from commerce.distribution.payouts import find_payout, finish_transfer


class Reconciled(StrEnum):
    PAID = "paid"
    FAILED = "failed"
    WAITING = "waiting"  # still in flight at WeChat (or being cancelled): asked again next run
    UNCHANGED = "unchanged"  # not a processing WeChat payout (any more)


def stale_transfers(uow: UnitOfWork, older_than: timedelta, limit: int = 100) -> list[str]:
    """WeChat payouts in processing since at least `older_than` (oldest first)."""
    return list(uow.session.scalars(
        select(Payout.payout_no).where(Payout.state == PayoutState.PROCESSING, Payout.method == PayoutMethod.WECHAT,
                                       Payout.updated_at <= now() - older_than)
        .order_by(Payout.id).limit(limit)))


def reconcile_transfer(uow: UnitOfWork, gateway: TransferLookup, payout_no: str) -> Reconciled:
    """Ask WeChat Pay about one processing payout and apply the answer; PayoutGatewayError propagates
    (nothing changed: the next run asks again).

    The calls to WeChat happen before the payout's row lock is taken, so a callback that WeChat sends
    meanwhile (a cancel's CANCELLED, say) is applied first; the locked transition then changes nothing."""
    row = uow.session.execute(select(Payout.state, Payout.method, Payout.updated_at)
                              .where(Payout.payout_no == payout_no)).one_or_none()
    if row is None or row.state != PayoutState.PROCESSING or row.method != PayoutMethod.WECHAT:
        return Reconciled.UNCHANGED
    answer = gateway.query_transfer(payout_no)
    overdue = now() - as_utc(row.updated_at) >= CONFIRM_WINDOW  # processing since the bill was created
    if answer.state == TRANSFER_WAIT_USER_CONFIRM and overdue:
        answer = gateway.cancel_transfer(payout_no)  # CANCELING (asynchronous) or CANCELLED
    if answer.state != TRANSFER_SUCCESS and answer.state not in TRANSFER_FAILED_STATES:
        return Reconciled.WAITING  # WAIT_USER_CONFIRM within the window, ACCEPTED, PROCESSING, CANCELING…
    reason = answer.fail_reason or (CONFIRM_EXPIRED if answer.state == TRANSFER_CANCELLED and overdue else "")
    payout = finish_transfer(uow, find_payout(uow, payout_no, lock=True), answer.state, answer.transfer_bill_no,
                             reason)  # a no-op when the callback (e.g. the cancel's) finished it meanwhile
    return Reconciled.PAID if payout.state == PayoutState.PAID else Reconciled.FAILED
