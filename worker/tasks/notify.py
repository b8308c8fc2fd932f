"""Notifications by customer-service message: the buyer's payment, a distributor's payout, low stock."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task

from bot.messages import TextReply
from bot.texts import low_stock_text, payment_confirmed_text, payout_finished_text
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
