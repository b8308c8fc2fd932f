"""After-sale use cases (the rules are in `rules.py`).

- `quote`               what a request would become (shown to the buyer before they confirm).
- `request_after_sale`  record it; a refund before shipping starts at once; one open request per order.
- `approve` / `reject`  the merchant's decision on a return (`siyu aftersale approve|reject ID`).
- `mark_received`       the returned goods arrived: the refund starts.
- `retry_refund`        after the provider closed a refund.
Refund results come back through `outcomes.py`.  Services flush; the caller commits.
"""

from __future__ import annotations

from sqlalchemy import select

from commerce.aftersale import rules
from commerce.aftersale.errors import AfterSaleNotFound
from commerce.aftersale.model import AfterSaleRequest
from commerce.aftersale.states import OPEN, AfterSaleKind, AfterSaleStatus, transition
from commerce.aftersale.views import AfterSaleView, after_sale_view
from commerce.catalog.model import Product
from commerce.clock import now
from commerce.db import UnitOfWork
from commerce.errors import IllegalTransition
from commerce.orders.lifecycle import load_order, move
from commerce.orders.model import Order
from commerce.orders.states import OrderStatus
from commerce.payments import refunds
from commerce.payments.port import PaymentGateway

A = AfterSaleStatus


def _facts(uow: UnitOfWork, order: Order) -> rules.OrderFacts:
    ids = {line.product_id for line in order.lines}
    returnable = dict(uow.session.execute(select(Product.id, Product.no_reason_return).where(Product.id.in_(ids))).all())
    lines = tuple(rules.LineFacts(ln.id, ln.name, ln.paid_fen, ln.refunded_fen, bool(returnable.get(ln.product_id, True)))
                  for ln in order.lines)
    return rules.OrderFacts(order.order_no, OrderStatus(order.status), order.delivered_at, order.paid_fen,
                            order.refunded_fen, lines)


def open_request(uow: UnitOfWork, order_no: str) -> AfterSaleRequest | None:
    return uow.session.scalar(select(AfterSaleRequest).where(
        AfterSaleRequest.order_no == order_no, AfterSaleRequest.status.in_([s.value for s in OPEN]))
        .order_by(AfterSaleRequest.id.desc()).limit(1))


def quote(uow: UnitOfWork, order_no: str, *, openid: str | None, line_ids: tuple[int, ...] | None = None,
          window_days: int = rules.NO_REASON_RETURN_DAYS) -> rules.Plan:
    """What a request for the order (or some of its lines) would be; raises when it would be refused."""
    order = load_order(uow, order_no, openid=openid)
    return rules.plan(_facts(uow, order), line_ids, now=now(), window_days=window_days)


def _load(uow: UnitOfWork, request_id: int) -> AfterSaleRequest:
    req = uow.session.scalar(select(AfterSaleRequest).where(AfterSaleRequest.id == request_id).with_for_update())
    if req is None:
        raise AfterSaleNotFound(request_id)
    return req


def _start_refund(uow: UnitOfWork, gateway: PaymentGateway, req: AfterSaleRequest) -> None:
    """Refund the request: the chosen lines are refunded whole — every unit not refunded yet, which
    (before shipping) goes back to stock when the refund succeeds."""
    lines = {int(k): int(v) for k, v in req.lines.items()} or None
    units = None
    if lines is not None:
        order = load_order(uow, req.order_no)
        units = {ln.id: ln.quantity - ln.refunded_qty for ln in order.lines if ln.id in lines}
    refund = refunds.request_refund(uow, gateway, req.order_no, amount_fen=req.amount_fen,
                                    reason=req.reason or f"after-sale {req.id}", lines=lines, quantities=units)
    req.refund_no = refund.refund_no
    transition(req, A.REFUNDING)


def request_after_sale(
    uow: UnitOfWork, gateway: PaymentGateway, order_no: str, *, openid: str, line_ids: tuple[int, ...] | None = None,
    reason: str = "", evidence: str = "", window_days: int = rules.NO_REASON_RETURN_DAYS,
) -> AfterSaleView:
    """Record the buyer's request; before shipping the refund starts now.  An open request is returned as is."""
    order = load_order(uow, order_no, openid=openid, lock=True)
    existing = open_request(uow, order.order_no)
    if existing is not None:
        return after_sale_view(existing)
    p = rules.plan(_facts(uow, order), line_ids, now=now(), window_days=window_days)
    req = AfterSaleRequest(order_id=order.id, order_no=order.order_no, openid=order.openid, kind=p.kind.value,
                           whole_order=p.whole_order, amount_fen=p.amount_fen,
                           lines={str(k): v for k, v in p.lines.items()}, reason=reason[:80], evidence=evidence[:500])
    uow.session.add(req)
    uow.session.flush()
    if p.kind is AfterSaleKind.REFUND:
        _decide(req, A.APPROVED, actor="system", note="refund before shipping")
        _start_refund(uow, gateway, req)
    uow.session.flush()
    return after_sale_view(req)


def _decide(req: AfterSaleRequest, target: AfterSaleStatus, *, actor: str, note: str) -> bool:
    if not transition(req, target):
        return False
    req.decided_by, req.decided_at, req.merchant_note = actor[:64], now(), note[:255]
    return True


def _open_return(uow: UnitOfWork, req: AfterSaleRequest, actor: str) -> None:
    """A whole-order return puts the order into the return flow (so it is not completed meanwhile)."""
    order = load_order(uow, req.order_no, lock=True)
    if req.whole_order and order.status in (OrderStatus.SHIPPED.value, OrderStatus.DELIVERED.value):
        move(uow, order, OrderStatus.RETURN_REQUESTED, actor=actor, note=f"after-sale {req.id}")
        move(uow, order, OrderStatus.RETURNING, actor=actor, note=f"after-sale {req.id}")


def approve(uow: UnitOfWork, gateway: PaymentGateway, request_id: int, *, actor: str, note: str = "") -> AfterSaleView:
    """Merchant approves: a return now waits for the goods; a refund starts.  Approving twice is a no-op."""
    req = _load(uow, request_id)
    if req.status == A.REJECTED.value:
        raise IllegalTransition("after_sale", req.status, A.APPROVED.value)
    if req.status != A.REQUESTED.value:
        return after_sale_view(req)  # already approved and on its way
    _decide(req, A.APPROVED, actor=actor, note=note)
    if req.kind == AfterSaleKind.RETURN.value:
        transition(req, A.AWAITING_RETURN)
        _open_return(uow, req, actor)
    else:
        _start_refund(uow, gateway, req)
    uow.session.flush()
    return after_sale_view(req)


def reject(uow: UnitOfWork, request_id: int, *, actor: str, reason: str) -> AfterSaleView:
    req = _load(uow, request_id)
    _decide(req, A.REJECTED, actor=actor, note=reason)
    uow.session.flush()
    return after_sale_view(req)


def mark_received(uow: UnitOfWork, gateway: PaymentGateway, request_id: int, *, actor: str) -> AfterSaleView:
    """The returned goods arrived at the merchant: refund them.  Repeats are no-ops."""
    req = _load(uow, request_id)
    if req.status in (A.REQUESTED.value, A.REJECTED.value, A.APPROVED.value):
        raise IllegalTransition("after_sale", req.status, A.RECEIVED.value)
    if req.status == A.AWAITING_RETURN.value:
        transition(req, A.RECEIVED)
        req.received_at = now()
        _start_refund(uow, gateway, req)
    uow.session.flush()
    return after_sale_view(req)


def retry_refund(uow: UnitOfWork, gateway: PaymentGateway, request_id: int) -> AfterSaleView:
    req = _load(uow, request_id)
    if req.status == A.REFUND_FAILED.value:
        _start_refund(uow, gateway, req)
    uow.session.flush()
    return after_sale_view(req)


def get_request(uow: UnitOfWork, request_id: int) -> AfterSaleView:
    req = uow.session.get(AfterSaleRequest, request_id)
    if req is None:
        raise AfterSaleNotFound(request_id)
    return after_sale_view(req)


def list_requests(uow: UnitOfWork, *, status: AfterSaleStatus | None = None, openid: str | None = None,
                  limit: int = 50) -> list[AfterSaleView]:
    """Newest first; the merchant's queue (`status=requested`) or one buyer's requests."""
    stmt = select(AfterSaleRequest).order_by(AfterSaleRequest.id.desc()).limit(max(1, min(limit, 500)))
    if status is not None:
        stmt = stmt.where(AfterSaleRequest.status == status.value)
    if openid is not None:
        stmt = stmt.where(AfterSaleRequest.openid == openid)
    return [after_sale_view(r) for r in uow.session.scalars(stmt)]
