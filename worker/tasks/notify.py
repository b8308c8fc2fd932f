"""Notifications by customer-service message: the buyer's payment, a distributor's payout (waiting for their
confirmation, then finished), the merchant's review of an application, low stock."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task

from bot.messages import TextReply
from bot.texts import (
    distributor_rejected_text,
    low_stock_text,
    payment_confirmed_text,
    payout_confirm_text,
    payout_finished_text,
)
from commerce.distribution import payouts
from commerce.orders import services as orders
from worker.errors import RETRY_POLICY
from worker.idempotency import once
from worker.runtime import runtime

log = logging.getLogger(__name__)


@shared_task(name="worker.notify_order_paid", acks_late=True, **RETRY_POLICY)  # type: ignore[misc]
def notify_order_paid(openid: str, order_no: str) -> bool:
    """Tell the buyer the payment arrived; sent once per order however often the task is delivered."""
    rt: Any = runtime()
    with rt.db.uow() as uow:
        order = orders.get_order(uow, order_no, openid=openid)
    text = payment_confirmed_text(order)
    return once(rt.kv, f"notify:paid:{order_no}", lambda: rt.outbound.deliver(openid, TextReply(text),
                                                                             purpose="order_paid"))


@shared_task(name="worker.notify_payout_finished", acks_late=True, **RETRY_POLICY)  # type: ignore[misc]
def notify_payout_finished(openid: str, payout_no: str) -> bool:
    """Tell the distributor their payout was paid, or failed and went back to the balance; once per payout."""
    rt: Any = runtime()
    with rt.db.uow() as uow:
        payout = payouts.find_payout(uow, payout_no)
        text = payout_finished_text(payout)
    return once(rt.kv, f"notify:payout:{payout_no}", lambda: rt.outbound.deliver(openid, TextReply(text),
                                                                                purpose="payout"))


@shared_task(name="worker.notify_payout_confirm", acks_late=True, **RETRY_POLICY)  # type: ignore[misc]
def notify_payout_confirm(openid: str, payout_no: str) -> bool:
    """An approved WeChat-change transfer waits for the distributor: the confirmation step; once per payout.
    `rt.distribution.confirm_url` gives the confirm page: the sandbox's, or our 确认收款 page."""
    rt: Any = runtime()
    with rt.db.uow() as uow:
        payout = payouts.find_payout(uow, payout_no)
        text = payout_confirm_text(payout, rt.distribution.confirm_url(payout_no),
                                   sandbox=rt.distribution.sandboxed)
    return once(rt.kv, f"notify:payout-confirm:{payout_no}",
                lambda: rt.outbound.deliver(openid, TextReply(text), purpose="payout"))


@shared_task(name="worker.notify_distributor_reviewed", acks_late=True, **RETRY_POLICY)  # type: ignore[misc]
def notify_distributor_reviewed(openid: str, code: str, approved: bool, note: str, applied_at: str) -> bool:
    """The merchant's decision on an application: the welcome (code, 推广码, rules) or a polite no with the
    reason; once per application.  `rt.distribution.welcome_text(code)` renders the welcome with the policy."""
    rt: Any = runtime()
    text = rt.distribution.welcome_text(code) if approved else distributor_rejected_text(note)
    key = f"notify:review:{code}:{applied_at}"
    return once(rt.kv, key, lambda: rt.outbound.deliver(openid, TextReply(text), purpose="distributor_review"))


@shared_task(name="worker.notify_low_stock", acks_late=True, **RETRY_POLICY)  # type: ignore[misc]
def notify_low_stock(sku_code: str, product_name: str, stock: int, threshold: int) -> int:
    """Warn every whitelisted merchant once per SKU and stock level."""
    rt: Any = runtime()
    text = low_stock_text(product_name, sku_code, stock, threshold)
    sent = 0
    for merchant in rt.settings.merchants:
        key = f"notify:lowstock:{merchant.openid}:{sku_code}:{stock}"
        sent += once(rt.kv, key, lambda m=merchant: rt.outbound.deliver(m.openid, TextReply(text),
                                                                          purpose="low_stock"))
    return sent
