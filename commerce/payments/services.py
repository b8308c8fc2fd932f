"""Payment use cases: start a JSAPI payment, apply the provider's (verified) notification.

`apply_payment_notification` is idempotent: the order row is locked, a replay of
a notification already applied changes nothing; an amount different from the
order's payable amount raises `PaymentAmountMismatch` (logged; the caller rolls
back, the order stays untouched).  On success it publishes `OrderPaid` inside the
transaction, so subscribers (commission, points, the confirmation message via
`uow.after_commit`) commit atomically with the payment.  Services flush; the
caller commits.  Refunds are in `commerce.payments.refunds` (re-exported here).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select, update

from commerce import events
from commerce.catalog.model import Product
from commerce.clock import as_utc, now
from commerce.db import UnitOfWork
from commerce.orders.errors import OrderNotPayable
from commerce.orders.lifecycle import load_order, move
from commerce.orders.model import Order
from commerce.orders.states import OrderStatus
from commerce.orders.views import OrderView, order_view
from commerce.payments.errors import PaymentAmountMismatch
from commerce.payments.model import Payment, PaymentStatus
from commerce.payments.port import TRADE_SUCCESS, PaymentGateway, PaymentNotification
from commerce.payments.refunds import RefundView, apply_refund_notification, request_refund

log = logging.getLogger("commerce.payments")

__all__ = [
    "PaymentIntent",
    "RefundView",
    "apply_payment_notification",
    "apply_refund_notification",
    "request_refund",
    "start_payment",
]


@dataclass(frozen=True)
class PaymentIntent:
    order_no: str
    prepay_id: str
    payable_fen: int


def _description(order: Order) -> str:
    first = order.lines[0].name if order.lines else order.order_no
    more = f" +{len(order.lines) - 1}" if len(order.lines) > 1 else ""
    return f"{first}{more}"[:120]


def _payment(uow: UnitOfWork, order: Order) -> Payment | None:
    return uow.session.scalar(select(Payment).where(Payment.order_id == order.id))


def start_payment(uow: UnitOfWork, gateway: PaymentGateway, order_no: str, *, openid: str) -> PaymentIntent:
    """Create (or reuse) the provider's prepay order for the customer's unpaid order."""
    order = load_order(uow, order_no, openid=openid, lock=True)
    expired = order.expires_at is not None and as_utc(order.expires_at) <= now()
    if order.status != OrderStatus.PENDING_PAYMENT.value or expired:
        raise OrderNotPayable(order_no, "expired" if expired else order.status)
    payment = _payment(uow, order)
    if payment is not None and payment.prepay_id and payment.amount_fen == order.payable_fen:
        return PaymentIntent(order_no, payment.prepay_id, order.payable_fen)
    prepay_id = gateway.create_jsapi(
        order.order_no, _description(order), order.payable_fen, openid, gateway.notify_url,
        as_utc(order.expires_at) if order.expires_at else None,
    )
    if payment is None:
        payment = Payment(order_id=order.id, order_no=order.order_no, amount_fen=order.payable_fen)
        uow.session.add(payment)
    payment.prepay_id, payment.amount_fen = prepay_id, order.payable_fen
    uow.session.flush()
    return PaymentIntent(order_no, prepay_id, order.payable_fen)


def _count_sales(uow: UnitOfWork, order: Order) -> None:
    for line in order.lines:
        uow.session.execute(
            update(Product).where(Product.id == line.product_id)
            .values(sales_count=Product.sales_count + line.quantity)
            .execution_options(synchronize_session=False)
        )


def apply_payment_notification(uow: UnitOfWork, n: PaymentNotification) -> OrderView:
    """Mark the order paid exactly once; replays are no-ops. Non-SUCCESS states change nothing."""
    order = load_order(uow, n.order_no, lock=True)
    if n.trade_state != TRADE_SUCCESS:
        return order_view(order)
    payment = _payment(uow, order)
    if payment is not None and payment.status != PaymentStatus.CREATED.value:
        if payment.transaction_id != n.transaction_id:
            log.error("second payment %s for order %s (first %s): refund it by hand",
                      n.transaction_id, order.order_no, payment.transaction_id)
        return order_view(order)  # already applied: replay
    if n.amount_fen != order.payable_fen:
        log.error("payment amount mismatch for %s: payable %s fen, notified %s fen (transaction %s) — refused",
                  order.order_no, order.payable_fen, n.amount_fen, n.transaction_id)
        raise PaymentAmountMismatch(order.order_no, order.payable_fen, n.amount_fen)
    if payment is None:
        payment = Payment(order_id=order.id, order_no=order.order_no, amount_fen=n.amount_fen)
        uow.session.add(payment)
    payment.transaction_id, payment.payer_openid = n.transaction_id, n.payer_openid
    payment.paid_at = n.success_time or now()
    if order.status != OrderStatus.PENDING_PAYMENT.value:
        payment.status = PaymentStatus.ORPHANED.value
        log.error("payment %s arrived for order %s in status %s — refund it by hand",
                  n.transaction_id, order.order_no, order.status)
        uow.session.flush()
        return order_view(order)
    payment.status = PaymentStatus.SUCCEEDED.value
    move(uow, order, OrderStatus.PAID, actor="wechatpay", note=n.transaction_id)
    order.paid_fen, order.paid_at, order.transaction_id = n.amount_fen, payment.paid_at, n.transaction_id
    _count_sales(uow, order)
    uow.session.flush()
    events.publish(uow, events.OrderPaid(order.id, order.order_no, order.openid, order.paid_fen))
    return order_view(order)
