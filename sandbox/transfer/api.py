"""HTTP face of the transfer imitation: create / query / cancel bills, and the user's confirmation page."""

from __future__ import annotations

import base64
import html
import json
import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from sandbox.pay import wire
from sandbox.pay.config import PaySandboxConfig
from sandbox.pay.keys import load_or_create_private_key
from sandbox.pay.notifier import Notice, Notifier
from sandbox.transfer.store import FINAL_STATES, Bill, BillStore, validate_bill

BILLS = "/v3/fund-app/mch-transfer/transfer-bills"
CONFIRM = "/sandbox/transfer/confirm"
EVENT = "MCHTRANSFER.BILL.FINISHED"
# What the confirmation page's buttons end a bill with: (state, fail_reason).  `cancel` through the API
# is the merchant's 撤销 (no reason); WeChat's codes for a frozen account and a wrong real name.
OUTCOMES = {
    "confirm": ("SUCCESS", ""),
    "fail": ("FAIL", "ACCOUNT_FROZEN"),
    "fail_name": ("FAIL", "NAME_NOT_CORRECT"),
    "decline": ("CANCELLED", "USER_CANCELLED"),
    "cancel": ("CANCELLED", ""),
}
PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>确认收款</title></head><body>
<h1>商家转账 · 确认收款</h1><p>{remark}</p><p>金额 <b>¥{yuan}</b>（{state}）</p>{payee}
<form method="post"><label><input type="checkbox" name="silent" value="1"> 不发回调（模拟通知丢失，用
<code>siyu payout reconcile</code> 核对）</label><br>
<button name="action" value="confirm">确认收款</button>
<button name="action" value="fail">模拟失败（账户异常）</button>
<button name="action" value="fail_name">模拟失败（实名不符）</button>
<button name="action" value="decline">不收款</button></form>
</body></html>"""


class TransferSandbox:
    def __init__(self, config: PaySandboxConfig) -> None:
        self.config = config
        self.key = load_or_create_private_key(config.platform_key_file)
        self.store = BillStore()
        self.notifier = Notifier(config, self.key)

    def _now(self) -> str:
        return wire.rfc3339(self.config.clock())

    def _json(self, status: int, body: dict[str, Any]) -> Response:
        """A signed JSON answer, as WeChat Pay gives (Wechatpay-Signature over ts, nonce and body)."""
        raw = json.dumps(body, ensure_ascii=False).encode()
        headers = wire.signed_response_headers(self.key, self.config.platform_public_key_id, raw, self.config.clock())
        return Response(raw, status_code=status, headers=headers)

    def _error(self, status: int, code: str, message: str) -> Response:
        return self._json(status, {"code": code, "message": message})

    def _user_name(self, data: dict[str, Any], serial: str) -> tuple[str, str]:
        """(decrypted name, problem): encrypted with our public key, named by the Wechatpay-Serial header."""
        if not data.get("user_name"):
            return "", ""
        if serial != self.config.platform_public_key_id:
            return "", "Wechatpay-Serial 与加密敏感信息所用的微信支付公钥ID不一致"
        name = wire.decrypt_sensitive(self.key, str(data["user_name"]))
        return (name, "") if name else ("", "user_name 解密失败，请使用微信支付公钥 RSA-OAEP 加密")

    def create(self, data: dict[str, Any], serial: str = "") -> tuple[int, dict[str, Any]]:
        """The transfer-bills call, in-process (the HTTP route wraps it)."""
        problem = validate_bill(data)
        user_name, name_problem = ("", "") if problem else self._user_name(data, serial)
        if problem or name_problem:
            return 400, {"code": "PARAM_ERROR", "message": problem or name_problem}
        with self.store.lock:
            bill = self.store.bills.get(data["out_bill_no"])
            if bill is not None and (bill.openid, bill.transfer_amount) != (data["openid"], data["transfer_amount"]):
                return 400, {"code": "INVALID_REQUEST", "message": "out_bill_no 重复且参数不一致"}
            if bill is None:
                bill = Bill(out_bill_no=data["out_bill_no"], transfer_bill_no="1330" + secrets.token_hex(12),
                            appid=data["appid"], mch_id=self.config.mchid, openid=data["openid"],
                            transfer_amount=data["transfer_amount"], transfer_remark=data["transfer_remark"],
                            notify_url=data.get("notify_url", ""), create_time=self._now(), user_name=user_name)
                self.store.bills[bill.out_bill_no] = bill
        package = base64.b64encode(json.dumps({"bill": bill.out_bill_no}).encode()).decode()
        return 200, {"out_bill_no": bill.out_bill_no, "transfer_bill_no": bill.transfer_bill_no,
                     "create_time": bill.create_time, "state": bill.state, "package_info": package}

    def finish(self, out_bill_no: str, action: str) -> Bill | None:
        """The user's decision (`OUTCOMES`: confirm, fail, fail_name, decline) or the merchant's cancel.
        Final bills stay.  Called directly, no callback is sent (a lost notification)."""
        with self.store.lock:
            bill = self.store.bills.get(out_bill_no)
            if bill is None or bill.state in FINAL_STATES:
                return bill
            bill.state, bill.fail_reason = OUTCOMES.get(action, OUTCOMES["decline"])
            bill.update_time = self._now()
        return bill

    def notice(self, bill: Bill) -> Notice:
        plain = {"out_bill_no": bill.out_bill_no, "transfer_bill_no": bill.transfer_bill_no, "state": bill.state,
                 "mch_id": bill.mch_id, "transfer_amount": bill.transfer_amount, "openid": bill.openid,
                 "fail_reason": bill.fail_reason, "create_time": bill.create_time, "update_time": bill.update_time}
        return Notice(bill.notify_url, EVENT, "商家转账单据终态通知", plain, "mch_payment", "mch_payment")

    # -- routes ------------------------------------------------------------------
    def _denied(self, request: Request, body: str) -> Response | None:
        pem = self.config.merchant_public_key_pem
        if pem is None:
            return None
        path = request.url.path[len(self.config.mount_path):]
        reason = wire.verify_request(pem, request.headers.get("authorization", ""), request.method, path, body)
        return self._error(401, "SIGN_ERROR", reason) if reason else None

    async def create_route(self, request: Request) -> Response:
        raw = await request.body()
        denied = self._denied(request, raw.decode(errors="replace"))
        if denied is not None:
            return denied
        try:
            data = json.loads(raw or b"{}")
        except ValueError:
            return self._error(400, "PARAM_ERROR", "body is not JSON")
        status, body = self.create(data if isinstance(data, dict) else {}, request.headers.get("wechatpay-serial", ""))
        return self._json(status, body)

    async def query_route(self, request: Request) -> Response:
        bill = self.store.bills.get(request.path_params["out_bill_no"])
        return self._json(200, bill.public()) if bill else self._error(404, "NOT_FOUND", "单据不存在")

    async def cancel_route(self, request: Request) -> Response:
        return await self._decide(request.path_params["out_bill_no"], "cancel", as_json=True)

    async def page_route(self, request: Request) -> Response:
        bill = self.store.bills.get(request.path_params["out_bill_no"])
        if bill is None:
            return HTMLResponse("<p>单据不存在</p>", status_code=404)
        if request.method == "POST":
            form = await request.form()
            return await self._decide(bill.out_bill_no, str(form.get("action", "confirm")), as_json=False,
                                      notify=form.get("silent") != "1")
        yuan = f"{bill.transfer_amount // 100}.{bill.transfer_amount % 100:02d}"
        payee = f"<p>收款人实名：{html.escape(bill.user_name[:1])}{'*' * (len(bill.user_name) - 1)}</p>" \
            if bill.user_name else ""
        return HTMLResponse(PAGE.format(remark=html.escape(bill.transfer_remark), yuan=yuan, state=bill.state,
                                        payee=payee))

    async def _decide(self, out_bill_no: str, action: str, *, as_json: bool, notify: bool = True) -> Response:
        before = self.store.bills.get(out_bill_no)
        was_final = before is not None and before.state in FINAL_STATES
        bill = self.finish(out_bill_no, action)
        if bill is None:
            return self._error(404, "NOT_FOUND", "单据不存在")
        if notify and not was_final and bill.notify_url:
            await self.notifier.deliver(self.notice(bill))
        if as_json:
            return self._json(200, bill.public())
        return HTMLResponse(f"<p>{'已收款' if bill.state == 'SUCCESS' else '未收款'}（{bill.state}）</p>")

    def routes(self) -> list[BaseRoute]:
        base = self.config.mount_path + BILLS
        return [
            Route(base, self.create_route, methods=["POST"]),
            Route(base + "/out-bill-no/{out_bill_no}", self.query_route, methods=["GET"]),
            Route(base + "/out-bill-no/{out_bill_no}/cancel", self.cancel_route, methods=["POST"]),
            Route(CONFIRM + "/{out_bill_no}", self.page_route, methods=["GET", "POST"]),
        ]
