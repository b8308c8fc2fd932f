"""The real WeChat Pay v3 gateway (JSAPI) through the `wechatpayv3` package.

Uses the platform public-key mode (微信支付公钥: `platform_public_key_file` +
`platform_public_key_id`), so construction needs no network.  Notifications are
opened by our own `V3CallbackOpener` (same checks as in the sandbox, plus the
timestamp window wechatpayv3 does not enforce).  Not exercised against the real
network by the test-suite; construction and request shaping are.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from wechatpayv3 import WeChatPay, WeChatPayType

from commerce.clock import CHINA_TZ
from commerce.payments.port import PaymentGatewayError, PaymentNotification, RefundAck, RefundNotification
from siyu.adapters.wechatpay_v3 import V3CallbackOpener, load_public_key
from siyu.settings import Settings


def build_wxpay(settings: Settings) -> WeChatPay:
    """wechatpayv3's client in public-key mode (no network), at `pay.api_base`."""
    pay = settings.pay
    missing = [k for k in ("merchant_serial_no", "merchant_private_key_file", "platform_public_key_file",
                           "platform_public_key_id") if not getattr(pay, k)]
    if missing:
        raise ValueError(f"pay.adapter=wechatpay needs pay.{', pay.'.join(missing)} / 真实支付缺少配置")
    wxpay = WeChatPay(
        wechatpay_type=WeChatPayType.JSAPI, mchid=pay.mchid, private_key=Path(pay.merchant_private_key_file).read_text(),
        cert_serial_no=pay.merchant_serial_no, appid=settings.wechat.app_id, apiv3_key=pay.apiv3_key,
        notify_url=settings.pay_notify_url, public_key=Path(pay.platform_public_key_file).read_text(),
        public_key_id=pay.platform_public_key_id,
    )
    # wechatpayv3 (2.0.x) has no base-URL parameter; its Core keeps the host in `_gate_way`.
    wxpay._core._gate_way = pay.api_base.rstrip("/")
    return wxpay


class WechatPayGateway:
    def __init__(self, wxpay: Any, *, appid: str, opener: V3CallbackOpener, notify_url: str,
                 refund_notify_url: str) -> None:
        self.wxpay = wxpay
        self.appid = appid
        self.opener = opener
        self.notify_url = notify_url
        self.refund_notify_url = refund_notify_url

    @classmethod
    def from_settings(cls, settings: Settings) -> WechatPayGateway:
        pay = settings.pay
        wxpay = build_wxpay(settings)
        public_pem = Path(pay.platform_public_key_file).read_text()
        opener = V3CallbackOpener(load_public_key(public_pem.encode()), pay.apiv3_key, pay.platform_public_key_id,
                                  pay.timestamp_tolerance_seconds)
        notify = settings.pay_notify_url
        return cls(wxpay, appid=settings.wechat.app_id, opener=opener, notify_url=notify,
                   refund_notify_url=notify.rsplit("/", 1)[0] + "/refund-notify")

    @staticmethod
    def _ok(result: tuple[int, str], what: str) -> dict[str, Any]:
        code, text = result
        if code >= 300:
            raise PaymentGatewayError(f"wechatpay {what}: HTTP {code} {text[:200]}", status=code)
        return json.loads(text) if text else {}

    def create_jsapi(self, order_no: str, description: str, amount_fen: int, openid: str, notify_url: str,
                     expires_at: datetime | None) -> str:
        expire = expires_at.astimezone(CHINA_TZ).isoformat(timespec="seconds") if expires_at else None
        data = self._ok(self.wxpay.pay(description=description, out_trade_no=order_no,
                                       amount={"total": amount_fen, "currency": "CNY"}, payer={"openid": openid},
                                       time_expire=expire, notify_url=notify_url, pay_type=WeChatPayType.JSAPI),
                        "jsapi")
        return str(data["prepay_id"])

    def jsapi_params(self, prepay_id: str) -> dict[str, str]:
        ts, nonce, package = str(int(time.time())), secrets.token_hex(16), f"prepay_id={prepay_id}"
        return {"appId": self.appid, "timeStamp": ts, "nonceStr": nonce, "package": package, "signType": "RSA",
                "paySign": self.wxpay.sign([self.appid, ts, nonce, package])}

    def query(self, order_no: str) -> PaymentNotification:
        r = self._ok(self.wxpay.query(out_trade_no=order_no), "query")
        return PaymentNotification(
            order_no=r["out_trade_no"], transaction_id=r.get("transaction_id", ""), trade_state=r["trade_state"],
            amount_fen=int(r["amount"]["total"]), payer_openid=(r.get("payer") or {}).get("openid", ""),
            success_time=datetime.fromisoformat(r["success_time"]) if r.get("success_time") else None,
        )

    def close(self, order_no: str) -> None:
        self._ok(self.wxpay.close(out_trade_no=order_no), "close")

    def refund(self, *, refund_no: str, order_no: str, amount_fen: int, total_fen: int, reason: str,
               notify_url: str) -> RefundAck:
        r = self._ok(self.wxpay.refund(out_refund_no=refund_no, out_trade_no=order_no, reason=reason,
                                       amount={"refund": amount_fen, "total": total_fen, "currency": "CNY"},
                                       notify_url=notify_url), "refund")
        return RefundAck(refund_id=str(r.get("refund_id", "")), status=str(r.get("status", "PROCESSING")))

    def parse_notification(self, headers: Mapping[str, str], body: bytes) -> PaymentNotification:
        return self.opener.payment(headers, body)

    def parse_refund_notification(self, headers: Mapping[str, str], body: bytes) -> RefundNotification:
        return self.opener.refund(headers, body)
