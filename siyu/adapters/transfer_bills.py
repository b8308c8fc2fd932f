"""Payout gateway over WeChat Pay v3 `transfer-bills` (商家转账) against the sandbox.

It rides on the payments adapter's signed HTTP client and callback opener
(`V3HttpGateway`), so requests are signed and MCHTRANSFER.BILL.FINISHED callbacks
are verified (RSA, timestamp, serial) and decrypted (AES-256-GCM) exactly like the
pay callbacks.  The base URL is `{public_base_url}/sandbox/pay`.  With
`pay.adapter=wechatpay` siyu uses `siyu.adapters.wechatpay_transfer` instead; both
share the bill body and result parsing below.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from commerce.distribution.payout_port import (
    SCENE_COMMISSION,
    USER_NAME_ALLOWED_FROM_FEN,
    PayoutGatewayError,
    TransferAccepted,
    TransferFinished,
    TransferRequest,
)
from commerce.payments.port import NotificationRejected, PaymentGatewayError
from siyu.adapters.pay_sandbox import V3HttpGateway

BILLS = "/v3/fund-app/mch-transfer/transfer-bills"
FINISHED = "MCHTRANSFER.BILL.FINISHED"
REMARK_MAX = 32  # characters WeChat shows the user


@dataclass(frozen=True)
class TransferScene:
    """What WeChat asks about the money (config `pay.transfer`): scene, receipt reason, report info."""

    scene_id: str = SCENE_COMMISSION
    user_recv_perception: str = "劳务报酬"
    report_infos: tuple[tuple[str, str], ...] = (("岗位类型", "推广员"), ("报酬说明", "商品推广佣金"))

    @classmethod
    def from_settings(cls, transfer: Any) -> TransferScene:
        return cls(transfer.scene_id, transfer.user_recv_perception,
                   tuple((i.info_type, i.info_content) for i in transfer.scene_report_infos))

    def report_infos_json(self) -> list[dict[str, str]]:
        return [{"info_type": t, "info_content": c} for t, c in self.report_infos]


def carries_user_name(req: TransferRequest) -> bool:
    """WeChat refuses a name below ¥0.30; commerce passes one only when it is required (¥2,000+)."""
    return bool(req.user_name) and req.amount_fen >= USER_NAME_ALLOWED_FROM_FEN


def encrypt_sensitive(public_key: rsa.RSAPublicKey, text: str) -> str:
    """RSA-OAEP (SHA-1) with the WeChat Pay public key, base64 — how v3 wants `user_name`."""
    cipher = public_key.encrypt(text.encode(), padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(),
                                                            label=None))
    return base64.b64encode(cipher).decode()


def accepted(data: Mapping[str, Any]) -> TransferAccepted:
    """A transfer-bills create or query answer: WAIT_USER_CONFIRM (+ package_info), ACCEPTED, PROCESSING,
    TRANSFERING, SUCCESS, FAIL / CANCELLED (+ fail_reason)."""
    try:
        return TransferAccepted(str(data["out_bill_no"]), str(data.get("transfer_bill_no", "")),
                                str(data.get("state", "")), str(data.get("package_info", "")),
                                str(data.get("fail_reason", "")))
    except (KeyError, TypeError) as exc:
        raise PayoutGatewayError(f"transfer-bills answer without {exc}") from None


def finished(r: Mapping[str, Any]) -> TransferFinished:
    """The decrypted MCHTRANSFER.BILL.FINISHED resource; NotificationRejected(400) when incomplete."""
    try:
        return TransferFinished(str(r["out_bill_no"]), str(r.get("transfer_bill_no", "")), str(r["state"]),
                                int(r["transfer_amount"]), str(r["openid"]), str(r.get("fail_reason", "")))
    except (KeyError, TypeError, ValueError):
        raise NotificationRejected("incomplete transfer resource", 400) from None


class TransferBillsGateway:
    def __init__(self, v3: V3HttpGateway, notify_url: str, scene: TransferScene | None = None) -> None:
        self.v3 = v3
        self.notify_url = notify_url
        self.scene = scene or TransferScene()

    def _call(self, method: str, path: str, payload: dict[str, Any] | None = None,
              headers: dict[str, str] | None = None) -> dict[str, Any]:
        try:
            return dict(self.v3._call(method, path, payload, headers=headers).json())
        except PaymentGatewayError as exc:
            raise PayoutGatewayError(str(exc)) from exc

    def create_transfer(self, req: TransferRequest) -> TransferAccepted:
        payload: dict[str, Any] = {
            "appid": self.v3.appid, "out_bill_no": req.out_bill_no, "transfer_scene_id": self.scene.scene_id,
            "openid": req.openid, "transfer_amount": req.amount_fen, "transfer_remark": req.remark[:REMARK_MAX],
            "notify_url": self.notify_url, "user_recv_perception": self.scene.user_recv_perception,
            "transfer_scene_report_infos": self.scene.report_infos_json(),
        }
        headers = None
        if carries_user_name(req):
            payload["user_name"] = encrypt_sensitive(self.v3.opener.platform_key, req.user_name or "")
            headers = {"Wechatpay-Serial": self.v3.opener.platform_serial}
        return accepted(self._call("POST", BILLS, payload, headers))

    def query_transfer(self, out_bill_no: str) -> TransferAccepted:
        return accepted(self._call("GET", f"{BILLS}/out-bill-no/{quote(out_bill_no)}"))

    def cancel_transfer(self, out_bill_no: str) -> TransferAccepted:
        return accepted(self._call("POST", f"{BILLS}/out-bill-no/{quote(out_bill_no)}/cancel", {}))

    def parse_finished(self, headers: Mapping[str, str], body: bytes) -> TransferFinished:
        """Verified and decrypted; raises NotificationRejected (with the HTTP status to answer)."""
        event, r = self.v3.opener.open(headers, body)
        if event != FINISHED:
            raise NotificationRejected(f"unexpected event {event}", 400)
        return finished(r)
