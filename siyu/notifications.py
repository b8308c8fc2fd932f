"""Domain events → messages to the user, sent after the transaction commits, through the worker.

Registered once per web process by `siyu.app.create_app`: the payment callback
(and the transfer-bills callback that finishes a payout) arrives there.  The send itself runs as a worker task (`worker.notify_order_paid`)
so a slow WeChat API never holds the pay callback, and a retried callback sends
one message (the task is idempotent per order).
"""

from __future__ import annotations

import logging
from typing import Any

from commerce import events
from commerce.db import UnitOfWork

log = logging.getLogger("siyu.notifications")
_container: Any = None


def register(c: Any) -> None:
    global _container
    _container = c
    events.subscribe(events.OrderPaid, _on_paid)
    events.subscribe(events.LowStock, _on_low_stock)
    events.subscribe(events.PayoutFinished, _on_payout_finished)
    events.subscribe(events.PayoutAwaitingConfirmation, _on_payout_awaiting_confirmation)
    events.subscribe(events.DistributorReviewed, _on_distributor_reviewed)


def _on_paid(uow: UnitOfWork, event: events.OrderPaid) -> None:
    c = _container
    if c is not None:
        uow.after_commit(lambda: _send_paid(c, event))


def _send_paid(c: Any, event: events.OrderPaid) -> None:
    try:
        if c.settings.sandbox.enabled and c.settings.pay.adapter == "sandbox":
            c.wechat_sandbox.wechat.mark_paid(event.openid)  # WeChat opens a 48 h window after payment
        c.outbound.note_paid(event.openid)  # our own quota bookkeeping: unlimited for 48 h after paying
        c.task_dispatcher.dispatch("worker.notify_order_paid", [event.openid, event.order_no])
    except Exception:  # noqa: BLE001 - the payment is committed; a lost notice is logged, never raised
        log.exception("could not queue the payment notice for %s", event.order_no)


def _on_payout_finished(uow: UnitOfWork, event: events.PayoutFinished) -> None:
    """Paid or failed (money back): the distributor hears it from the worker (`worker.notify_payout_finished`)."""
    c = _container
    if c is not None:
        args = [event.openid, event.payout_no]
        uow.after_commit(lambda: c.task_dispatcher.dispatch("worker.notify_payout_finished", args))


def _on_payout_awaiting_confirmation(uow: UnitOfWork, event: events.PayoutAwaitingConfirmation) -> None:
    """A transfer sent after a merchant approval (or a retry) waits for the distributor to confirm it within
    24 h: they get the confirmation step from the worker (`worker.notify_payout_confirm`)."""
    c = _container
    if c is not None:
        args = [event.openid, event.payout_no]
        uow.after_commit(lambda: c.task_dispatcher.dispatch("worker.notify_payout_confirm", args))


def _on_distributor_reviewed(uow: UnitOfWork, event: events.DistributorReviewed) -> None:
    """The merchant approved (welcome) or rejected (reason) an application (`worker.notify_distributor_reviewed`)."""
    c = _container
    if c is not None:
        args = [event.openid, event.code, event.approved, event.note, event.applied_at]
        uow.after_commit(lambda: c.task_dispatcher.dispatch("worker.notify_distributor_reviewed", args))


def _on_low_stock(uow: UnitOfWork, event: events.LowStock) -> None:
    c = _container
    if c is not None:
        args = [event.sku_code, event.product_name, event.stock, event.threshold]
        uow.after_commit(lambda: c.task_dispatcher.dispatch("worker.notify_low_stock", args))
