"""Refund results → after-sale requests.

`on_refunded` subscribes to `OrderRefunded` (registered by the composition root):
the request whose refund succeeded becomes `refunded`.  Stock: a refund before
shipping — of the whole order or of some lines — gives the refunded units back to
stock, once per unit (`payments.refunds` → `orders.lifecycle.give_back`; a later
full refund gives back only the rest).  Returned goods are restocked by hand.

`sync_refunds` catches up requests whose refund failed (the provider closed it) or
whose event was missed; the CLI and the chat call it before showing requests.
"""

from __future__ import annotations

from sqlalchemy import select

from commerce import events
from commerce.aftersale.model import AfterSaleRequest
from commerce.aftersale.states import AfterSaleStatus, transition
from commerce.clock import now
from commerce.db import UnitOfWork
from commerce.payments.model import Refund, RefundStatus

A = AfterSaleStatus


def _refunded(uow: UnitOfWork, req: AfterSaleRequest) -> None:
    if transition(req, A.REFUNDED):
        req.refunded_at = now()


def on_refunded(uow: UnitOfWork, event: events.OrderRefunded) -> None:
    req = uow.session.scalar(select(AfterSaleRequest).where(AfterSaleRequest.refund_no == event.refund_no))
    if req is not None and req.status == A.REFUNDING.value:
        _refunded(uow, req)
        uow.session.flush()


def sync_refunds(uow: UnitOfWork) -> int:
    """Bring `refunding` requests in line with their refund rows; returns how many changed."""
    rows = uow.session.execute(
        select(AfterSaleRequest, Refund.status).join(Refund, Refund.refund_no == AfterSaleRequest.refund_no)
        .where(AfterSaleRequest.status == A.REFUNDING.value, Refund.status != RefundStatus.PROCESSING.value)
        .with_for_update(of=AfterSaleRequest)
    ).all()
    for req, refund_status in rows:
        if refund_status == RefundStatus.SUCCEEDED.value:
            _refunded(uow, req)
        else:
            transition(req, A.REFUND_FAILED)
    uow.session.flush()
    return len(rows)


def register() -> None:
    events.subscribe(events.OrderRefunded, on_refunded)
