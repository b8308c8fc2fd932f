"""Payout gateway over WeChat Pay v3 `transfer-bills` (商家转账), sandbox or real.

It rides on the payments adapter's signed HTTP client and callback opener
(`V3HttpGateway`), so requests are signed and MCHTRANSFER.BILL.FINISHED callbacks
are verified (RSA, timestamp, serial) and decrypted (AES-256-GCM) exactly like the
pay callbacks.  Against the sandbox the base URL is `{public_base_url}/sandbox/pay`;
against WeChat it is `https://api.mch.weixin.qq.com`.
"""

from __future__ import annotations

from collections.abc import Mapping

from commerce.distribution.payout_port import (
    SCENE_COMMISSION,
    PayoutGatewayError,
    TransferAccepted,
    TransferFinished,
    TransferRequest,
)
from commerce.payments.port import NotificationRejected, PaymentGatewayError
from siyu.adapters.pay_sandbox import V3HttpGateway

BILLS = "/v3/fund-app/mch-transfer/transfer-bills"
FINISHED = "MCHTRANSFER.BILL.FINISHED"
# 佣金报酬 scene: WeChat asks what the money is for (岗位类型 + 报酬说明)
REPORT_INFOS = [{"info_type": "岗位类型", "info_content": "推广员"},
                {"info_type": "报酬说明", "info_content": "商品推广佣金"}]


class TransferBillsGateway:
    def __init__(self, v3: V3HttpGateway, notify_url: str) -> None:
        self.v3 = v3
        self.notify_url = notify_url

    def create_transfer(self, req: TransferRequest) -> TransferAccepted:
        payload = {
            "appid": self.v3.appid, "out_bill_no": req.out_bill_no, "transfer_scene_id": SCENE_COMMISSION,
            "openid": req.openid, "transfer_amount": req.amount_fen, "transfer_remark": req.remark[:32],
            "notify_url": self.notify_url, "user_recv_perception": "劳务报酬",
            "transfer_scene_report_infos": REPORT_INFOS,
        }
        try:
            data = self.v3._call("POST", BILLS, payload).json()
        except PaymentGatewayError as exc:
            raise PayoutGatewayError(str(exc)) from exc
        return TransferAccepted(str(data["out_bill_no"]), str(data.get("transfer_bill_no", "")),
                                str(data.get("state", "")), str(data.get("package_info", "")),
                                str(data.get("fail_reason", "")))

    def parse_finished(self, headers: Mapping[str, str], body: bytes) -> TransferFinished:
        """Verified and decrypted; raises NotificationRejected (with the HTTP status to answer)."""
        event, r = self.v3.opener.open(headers, body)
        if event != FINISHED:
            raise NotificationRejected(f"unexpected event {event}", 400)
        try:
            return TransferFinished(str(r["out_bill_no"]), str(r.get("transfer_bill_no", "")), str(r["state"]),
                                    int(r["transfer_amount"]), str(r["openid"]), str(r.get("fail_reason", "")))
        except (KeyError, TypeError, ValueError):
            raise NotificationRejected("incomplete transfer resource", 400) from None
