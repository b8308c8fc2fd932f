"""HTTP face of the WeChat Pay v3 imitation (real v3 paths under the mount point) and the payer's
"confirm" action that the sandbox pay page's 确认支付 form posts to."""

from __future__ import annotations

import json
import secrets
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from sandbox.pay import wire
from sandbox.pay.config import PaySandboxConfig
from sandbox.pay.keys import load_or_create_private_key
from sandbox.pay.notifier import Notice, Notifier
from sandbox.pay.store import PayStore, RefundRecord, Transaction
from sandbox.pay.validation import parse_expire, validate_jsapi, validate_refund


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"code": code, "message": message}, status_code=status)


class PaySandbox:
    def __init__(self, config: PaySandboxConfig) -> None:
        self.config = config
        self.key = load_or_create_private_key(config.platform_key_file)
        self.store = PayStore(config.state_file)
        self.notifier = Notifier(config, self.key)

    # -- merchant API (signed requests) ---------------------------------
    async def _authorised(self, request: Request) -> tuple[str, Response | None]:
        body = (await request.body()).decode()
        pem = self.config.merchant_public_key_pem
        if pem is None:
            return body, None
        path = request.url.path[len(self.config.mount_path):] or "/"
        if request.url.query:
            path += "?" + request.url.query
        reason = wire.verify_request(pem, request.headers.get("authorization", ""), request.method, path, body)
        return body, (_error(401, "SIGN_ERROR", reason) if reason else None)

    async def jsapi(self, request: Request) -> Response:
        raw, denied = await self._authorised(request)
        if denied:
            return denied
        data, problem = validate_jsapi(raw, self.config)
        if problem:
            return _error(400, "PARAM_ERROR", problem)
        with self.store.lock:
            existing = self.store.transactions.get(data["out_trade_no"])
            if existing is not None:
                if existing.trade_state == "SUCCESS":
                    return _error(400, "ORDERPAID", "该订单已支付")
                if existing.amount_total != data["amount"]["total"]:
                    return _error(400, "INVALID_REQUEST", "201 商户订单号重复")
                return JSONResponse({"prepay_id": existing.prepay_id})
            txn = Transaction(
                out_trade_no=data["out_trade_no"], prepay_id="wx" + secrets.token_hex(16), appid=data["appid"],
                mchid=data["mchid"], description=data["description"], amount_total=data["amount"]["total"],
                payer_openid=data["payer"]["openid"], notify_url=data["notify_url"],
                time_expire=data.get("time_expire", ""), expire_ts=parse_expire(data.get("time_expire", "")),
                attach=data.get("attach", ""),
            )
            self.store.transactions[txn.out_trade_no] = txn
            self.store.save()
        return JSONResponse({"prepay_id": txn.prepay_id})

    async def query(self, request: Request) -> Response:
        _, denied = await self._authorised(request)
        if denied:
            return denied
        txn = self.store.transactions.get(request.path_params["out_trade_no"])
        if txn is None:
            return _error(404, "ORDER_NOT_EXIST", "订单不存在")
        return JSONResponse(txn.public())

    async def close(self, request: Request) -> Response:
        _, denied = await self._authorised(request)
        if denied:
            return denied
        with self.store.lock:
            txn = self.store.transactions.get(request.path_params["out_trade_no"])
            if txn is None:
                return _error(404, "ORDER_NOT_EXIST", "订单不存在")
            if txn.trade_state == "SUCCESS":
                return _error(400, "ORDERPAID", "订单已支付")
            txn.trade_state = "CLOSED"
            self.store.save()
        return Response(status_code=204)

    async def refund(self, request: Request) -> Response:
        raw, denied = await self._authorised(request)
        if denied:
            return denied
        data, problem = validate_refund(raw)
        if problem:
            return _error(400, "PARAM_ERROR", problem)
        with self.store.lock:
            if (known := self.store.refunds.get(data["out_refund_no"])) is not None:
                return JSONResponse(known.public())
            txn = self.store.transactions.get(data.get("out_trade_no", ""))
            if txn is None or txn.trade_state not in ("SUCCESS", "REFUND"):
                return _error(404, "RESOURCE_NOT_EXISTS", "订单不存在或未支付")
            amount = data["amount"]
            if amount["total"] != txn.amount_total:
                return _error(400, "PARAM_ERROR", "订单金额与原订单不符")
            if amount["refund"] + self.store.refunded_total(txn.out_trade_no) > txn.amount_total:
                return _error(400, "NOT_ENOUGH", "退款金额超过可退金额")
            rec = RefundRecord(
                out_refund_no=data["out_refund_no"], refund_id="50" + secrets.token_hex(14),
                out_trade_no=txn.out_trade_no, transaction_id=txn.transaction_id, amount_refund=amount["refund"],
                amount_total=txn.amount_total, reason=data.get("reason", ""), notify_url=data.get("notify_url", ""),
                create_time=wire.rfc3339(self.config.clock()),
            )
            self.store.refunds[rec.out_refund_no] = rec
            self.store.save()
        if rec.notify_url:
            self.notifier.deliver_later(self._refund_notice(rec), self.config.refund_delay_seconds)
        return JSONResponse(rec.public())

    def _refund_notice(self, rec: RefundRecord) -> Notice:
        """Settles the refund (the imitation always succeeds) and describes the REFUND.SUCCESS callback."""
        with self.store.lock:
            rec.status, rec.success_time = "SUCCESS", wire.rfc3339(self.config.clock())
            txn = self.store.transactions[rec.out_trade_no]
            if self.store.refunded_total(txn.out_trade_no) >= txn.amount_total:
                txn.trade_state = "REFUND"
            self.store.save()
        plain = {**rec.public(), "mchid": self.config.mchid, "refund_status": rec.status}
        return Notice(rec.notify_url, "REFUND.SUCCESS", "退款成功", plain, "refund", "refund")

    async def refund_query(self, request: Request) -> Response:
        _, denied = await self._authorised(request)
        if denied:
            return denied
        rec = self.store.refunds.get(request.path_params["out_refund_no"])
        if rec is None:
            return _error(404, "RESOURCE_NOT_EXISTS", "退款单不存在")
        return JSONResponse(rec.public())

    # -- the payer --------------------------------------------------------
    def pay(self, prepay_id: str) -> tuple[Transaction | None, str]:
        """The payer confirms: the transaction succeeds (once). Returns it and a problem text."""
        with self.store.lock:
            txn = self.store.by_prepay_id(prepay_id)
            if txn is None:
                return None, "未知的预支付交易会话"
            if txn.trade_state == "SUCCESS":
                return txn, ""
            if txn.trade_state != "NOTPAY":
                return txn, "订单已关闭"
            if txn.expire_ts is not None and self.config.clock() > txn.expire_ts:
                txn.trade_state = "CLOSED"
                self.store.save()
                return txn, "订单已超时关闭"
            txn.trade_state = "SUCCESS"
            txn.transaction_id = "42" + secrets.token_hex(13)
            txn.success_time = wire.rfc3339(self.config.clock())
            self.store.save()
            return txn, ""

    async def confirm(self, request: Request) -> Response:
        form = await request.form()
        txn, problem = self.pay(str(form.get("prepay_id", "")))
        if txn is None or problem:
            return HTMLResponse(f"<p>支付失败：{problem}</p>", status_code=400 if txn is None else 409)
        notice = Notice(txn.notify_url, "TRANSACTION.SUCCESS", "支付成功", txn.public(), "transaction", "transaction")
        delivered = await self.notifier.deliver(notice)
        back = str(form.get("return_url", ""))
        if back and not urlsplit(back).netloc and back.startswith("/"):
            return RedirectResponse(back, status_code=303)
        return JSONResponse({"trade_state": txn.trade_state, "out_trade_no": txn.out_trade_no,
                             "notified": delivered})

    async def notifications(self, _: Request) -> Response:
        rows: list[dict[str, Any]] = [{"url": u, "event_type": e, "status": s} for u, e, s in self.notifier.attempts]
        return JSONResponse(json.loads(json.dumps(rows)))

    def routes(self) -> list[BaseRoute]:
        return [Mount(self.config.mount_path, routes=[
            Route("/v3/pay/transactions/jsapi", self.jsapi, methods=["POST"]),
            Route("/v3/pay/transactions/out-trade-no/{out_trade_no}", self.query, methods=["GET"]),
            Route("/v3/pay/transactions/out-trade-no/{out_trade_no}/close", self.close, methods=["POST"]),
            Route("/v3/refund/domestic/refunds", self.refund, methods=["POST"]),
            Route("/v3/refund/domestic/refunds/{out_refund_no}", self.refund_query, methods=["GET"]),
            Route("/confirm", self.confirm, methods=["POST"]),
            Route("/notifications", self.notifications, methods=["GET"]),
        ])]
