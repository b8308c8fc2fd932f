"""Order notifications to the buyer by customer-service message (payment confirmed, shipped…)."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task

from bot.messages import TextReply
from bot.texts import payment_confirmed_text
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
