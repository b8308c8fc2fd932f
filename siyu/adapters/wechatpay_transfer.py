"""The real payout gateway: WeChat Pay's merchant transfer (商家转账, transfer-bills) through `wechatpayv3`.

`WeChatPay.mch_transfer_bills` / `_query` / `_cancel` sign the request, RSA-OAEP-encrypt
`user_name` with the WeChat Pay public key (sending `Wechatpay-Serial`) and verify the
response signature.  Results: WAIT_USER_CONFIRM with `package_info` (the user confirms in
WeChat), ACCEPTED / PROCESSING / TRANSFERING, SUCCESS, FAIL or CANCELLED with `fail_reason`.
MCHTRANSFER.BILL.FINISHED callbacks are verified and decrypted by wechatpayv3's `callback`;
we add what it does not check: the serial must be our WeChat Pay public key id (so a forged
serial never makes it fetch certificates) and the timestamp must be recent (replays).
Tested against the sandbox over real HTTP (`pay.api_base`), never the internet.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Any

from commerce.distribution.payout_port import (
    PayoutGatewayError,
    TransferAccepted,
    TransferFinished,
    TransferRequest,
)
from commerce.payments.port import NotificationRejected
from siyu.adapters.transfer_bills import (
    FINISHED,
    REMARK_MAX,
    TransferScene,
    accepted,
    carries_user_name,
    finished,
)
from siyu.settings import Settings


class WechatPayTransferGateway:
    def __init__(self, wxpay: Any, *, notify_url: str, scene: TransferScene, platform_serial: str,
                 tolerance_seconds: int = 300, clock: Callable[[], float] = time.time) -> None:
        self.wxpay = wxpay
        self.notify_url = notify_url
        self.scene = scene
        self.platform_serial = platform_serial
        self.tolerance_seconds = tolerance_seconds
        self.clock = clock

    @classmethod
    def from_settings(cls, settings: Settings, notify_url: str) -> WechatPayTransferGateway:
        from siyu.adapters.wechatpay import build_wxpay

        pay = settings.pay
        return cls(build_wxpay(settings), notify_url=notify_url, scene=TransferScene.from_settings(pay.transfer),
                   platform_serial=pay.platform_public_key_id, tolerance_seconds=pay.timestamp_tolerance_seconds)

    @staticmethod
    def _answer(call: Callable[[], tuple[int, Any]], what: str) -> TransferAccepted:
        try:
            status, text = call()
        except Exception as exc:  # noqa: BLE001 - requests errors, an unsigned/forged answer, SDK argument checks
            raise PayoutGatewayError(f"transfer-bills {what}: {exc}") from exc
        try:
            data = json.loads(text) if text else {}
        except (TypeError, ValueError):
            data = {}
        if status >= 300:
            raise PayoutGatewayError(f"transfer-bills {what}: HTTP {status} {data.get('code', '')} "
                                     f"{data.get('message', str(text)[:200])}")
        return accepted(data)

    def create_transfer(self, req: TransferRequest) -> TransferAccepted:
        return self._answer(lambda: self.wxpay.mch_transfer_bills(
            out_bill_no=req.out_bill_no, transfer_scene_id=self.scene.scene_id, openid=req.openid,
            transfer_amount=req.amount_fen, transfer_remark=req.remark[:REMARK_MAX],
            user_name=req.user_name if carries_user_name(req) else None,
            user_recv_perception=self.scene.user_recv_perception,
            transfer_scene_report_infos=self.scene.report_infos_json(), notify_url=self.notify_url,
        ), "create")

    def query_transfer(self, out_bill_no: str) -> TransferAccepted:
        return self._answer(lambda: self.wxpay.mch_transfer_bills_query(out_bill_no=out_bill_no), "query")

    def cancel_transfer(self, out_bill_no: str) -> TransferAccepted:
        return self._answer(lambda: self.wxpay.mch_transfer_bills_cancel(out_bill_no), "cancel")

    def parse_finished(self, headers: Mapping[str, str], body: bytes) -> TransferFinished:
        """Verified (serial, timestamp, signature) and decrypted; NotificationRejected with the status to answer."""
        lowered = {k.lower(): v for k, v in headers.items()}
        if lowered.get("wechatpay-serial", "") != self.platform_serial:
            raise NotificationRejected("unknown platform serial", 401)
        ts = lowered.get("wechatpay-timestamp", "")
        if not ts.isdigit() or abs(self.clock() - int(ts)) > self.tolerance_seconds:
            raise NotificationRejected("stale or invalid timestamp", 401)
        try:
            data = self.wxpay.callback(lowered, body)
        except Exception:  # noqa: BLE001 - the SDK raises bare Exception for an unknown algorithm, bad JSON…
            raise NotificationRejected("malformed or undecryptable notification", 400) from None
        if not data:  # wechatpayv3: signature mismatch (or not an encrypted resource)
            raise NotificationRejected("signature mismatch", 401)
        if data.get("event_type") != FINISHED:
            raise NotificationRejected(f"unexpected event {data.get('event_type')}", 400)
        return finished(data.get("resource") or {})
