"""Pay routes: `GET /pay/{order_no}` (pay page), `POST /pay/notify`, `POST /pay/refund-notify`.

Callbacks are verified and decrypted by the gateway (`parse_notification`):
forged or stale → 401, malformed/undecryptable → 400, both before any database
access.  A verified notification is applied idempotently: a replay answers 200
and changes nothing; an amount mismatch is refused (400, logged) and the order is
untouched.  Success answers 200 `{"code": "SUCCESS"}` (WeChat Pay stops retrying).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.web import pay_page
from commerce.db import Database
from commerce.orders import services as orders
from commerce.orders.errors import OrderNotFound, OrderNotPayable
from commerce.payments import services as payments
from commerce.payments.errors import PaymentAmountMismatch, RefundNotFound
from commerce.payments.port import NotificationRejected, PaymentGateway, PaymentGatewayError

log = logging.getLogger("bot.web.pay")

MAX_BODY = 64 * 1024


@dataclass(frozen=True)
class PayWebConfig:
    db: Database
    gateway: PaymentGateway
    shop_name: str = "思语优选"
    sandbox_confirm_url: str | None = None  # set in sandbox mode: the pay page shows the 确认支付 form


def _fail(status: int, message: str) -> JSONResponse:
    return JSONResponse({"code": "FAIL", "message": message}, status_code=status)


OK = {"code": "SUCCESS", "message": "成功"}


def _page_action(cfg: PayWebConfig, order_no: str) -> tuple[orders.OrderView, pay_page.PayAction]:
    with cfg.db.uow() as uow:
        order = orders.get_order(uow, order_no)
        if order.status is not orders.OrderStatus.PENDING_PAYMENT:
            return order, pay_page.PayAction()
        try:
            intent = payments.start_payment(uow, cfg.gateway, order_no, openid=order.openid)
            uow.commit()
        except OrderNotPayable:
            return order, pay_page.PayAction(message=pay_page.NOT_PAYABLE.format(status="已超时"))
        except PaymentGatewayError as exc:
            log.warning("pay page %s: gateway error %s", order_no, exc)
            return order, pay_page.PayAction(message=pay_page.UNAVAILABLE)
    if cfg.sandbox_confirm_url:
        return order, pay_page.PayAction(sandbox_confirm_url=cfg.sandbox_confirm_url, prepay_id=intent.prepay_id)
    return order, pay_page.PayAction(jsapi_params=cfg.gateway.jsapi_params(intent.prepay_id))


def _apply(cfg: PayWebConfig, fn: Callable[[Any], Any]) -> None:
    with cfg.db.uow() as uow:
        fn(uow)
        uow.commit()


def pay_routes(cfg: PayWebConfig) -> list[BaseRoute]:
    async def page(request: Request) -> Response:
        order_no = request.path_params["order_no"]
        try:
            order, action = await run_in_threadpool(_page_action, cfg, order_no)
        except OrderNotFound:
            return HTMLResponse(pay_page.render_missing(cfg.shop_name), status_code=404)
        return HTMLResponse(pay_page.render(order, action, shop_name=cfg.shop_name))

    async def _receive(request: Request, parse: Callable[[Any, bytes], Any]) -> tuple[Any, Response | None]:
        body = await request.body()
        if len(body) > MAX_BODY:
            return None, _fail(413, "body too large")
        try:
            return parse(dict(request.headers), body), None
        except NotificationRejected as exc:
            log.warning("pay callback rejected (%s): %s", request.url.path, exc.reason)
            return None, _fail(exc.status, exc.reason)

    async def notify(request: Request) -> Response:
        n, refused = await _receive(request, cfg.gateway.parse_notification)
        if refused:
            return refused
        try:
            await run_in_threadpool(_apply, cfg, lambda uow: payments.apply_payment_notification(uow, n))
        except OrderNotFound:
            log.error("pay callback for unknown order %s (transaction %s)", n.order_no, n.transaction_id)
            return _fail(404, "order not found")
        except PaymentAmountMismatch:
            return _fail(400, "amount mismatch")
        return JSONResponse(OK)

    async def refund_notify(request: Request) -> Response:
        n, refused = await _receive(request, cfg.gateway.parse_refund_notification)
        if refused:
            return refused
        try:
            await run_in_threadpool(_apply, cfg, lambda uow: payments.apply_refund_notification(uow, n))
        except (RefundNotFound, OrderNotFound):
            log.error("refund callback for unknown refund %s", n.refund_no)
            return _fail(404, "refund not found")
        except PaymentAmountMismatch:
            return _fail(400, "amount mismatch")
        return JSONResponse(OK)

    return [
        Route("/pay/notify", notify, methods=["POST"]),
        Route("/pay/refund-notify", refund_notify, methods=["POST"]),
        Route("/pay/{order_no}", page, methods=["GET"]),
    ]
