"""Payment gateway that speaks WeChat Pay v3 over HTTP to the sandbox (`/sandbox/pay/v3/...`).

Same paths, JSON shapes and request signatures as the real API; only the base URL
differs.  Notifications are opened with the sandbox platform public key.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx

from commerce.clock import CHINA_TZ
from commerce.payments.port import (
    PaymentGatewayError,
    PaymentNotification,
    RefundAck,
    RefundNotification,
)
from siyu.adapters.wechatpay_v3 import V3CallbackOpener, V3Signer


class V3HttpGateway:
    def __init__(
        self, *, base_url: str, appid: str, signer: V3Signer, opener: V3CallbackOpener, notify_url: str,
        refund_notify_url: str, client: httpx.Client | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.appid = appid
        self.signer = signer
        self.opener = opener
        self.notify_url = notify_url
        self.refund_notify_url = refund_notify_url
        self._client = client or httpx.Client(timeout=10)

    def _call(self, method: str, path: str, payload: dict[str, Any] | None = None,
              headers: dict[str, str] | None = None) -> httpx.Response:
        body = json.dumps(payload, ensure_ascii=False) if payload is not None else ""
        headers = {**(headers or {}), "Authorization": self.signer.authorization(method, path, body),
                   "Accept": "application/json", "Content-Type": "application/json"}
        try:
            resp = self._client.request(method, self.base_url + path, content=body.encode(), headers=headers)
        except httpx.HTTPError as exc:
            raise PaymentGatewayError(f"pay API unreachable: {exc}") from exc
        if resp.status_code >= 300:
            code = resp.json().get("code", "") if resp.headers.get("content-type", "").startswith("application/json") else ""
            raise PaymentGatewayError(f"pay API {path}: HTTP {resp.status_code} {resp.text[:200]}",
                                      status=resp.status_code, code=code)
        return resp

    def create_jsapi(self, order_no: str, description: str, amount_fen: int, openid: str, notify_url: str,
                     expires_at: datetime | None) -> str:
        payload: dict[str, Any] = {
            "appid": self.appid, "mchid": self.signer.mchid, "description": description, "out_trade_no": order_no,
            "notify_url": notify_url, "amount": {"total": amount_fen, "currency": "CNY"}, "payer": {"openid": openid},
        }
        if expires_at is not None:
            payload["time_expire"] = expires_at.astimezone(CHINA_TZ).isoformat(timespec="seconds")
        return str(self._call("POST", "/v3/pay/transactions/jsapi", payload).json()["prepay_id"])

    def jsapi_params(self, prepay_id: str) -> dict[str, str]:
        return self.signer.jsapi_params(self.appid, prepay_id)

    def query(self, order_no: str) -> PaymentNotification:
        path = f"/v3/pay/transactions/out-trade-no/{quote(order_no)}?mchid={self.signer.mchid}"
        r = self._call("GET", path).json()
        return PaymentNotification(
            order_no=r["out_trade_no"], transaction_id=r.get("transaction_id", ""), trade_state=r["trade_state"],
            amount_fen=int(r["amount"]["total"]), payer_openid=(r.get("payer") or {}).get("openid", ""),
            success_time=datetime.fromisoformat(r["success_time"]) if r.get("success_time") else None,
        )

    def close(self, order_no: str) -> None:
        self._call("POST", f"/v3/pay/transactions/out-trade-no/{quote(order_no)}/close", {"mchid": self.signer.mchid})

    def refund(self, *, refund_no: str, order_no: str, amount_fen: int, total_fen: int, reason: str,
               notify_url: str) -> RefundAck:
        r = self._call("POST", "/v3/refund/domestic/refunds", {
            "out_trade_no": order_no, "out_refund_no": refund_no, "reason": reason, "notify_url": notify_url,
            "amount": {"refund": amount_fen, "total": total_fen, "currency": "CNY"},
        }).json()
        return RefundAck(refund_id=str(r.get("refund_id", "")), status=str(r.get("status", "PROCESSING")))

    def parse_notification(self, headers: Mapping[str, str], body: bytes) -> PaymentNotification:
        return self.opener.payment(headers, body)

    def parse_refund_notification(self, headers: Mapping[str, str], body: bytes) -> RefundNotification:
        return self.opener.refund(headers, body)
