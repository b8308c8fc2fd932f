"""WeChat Pay API v3 wire helpers shared by the sandbox and the real adapter.

- `V3Signer` signs our requests (`Authorization: WECHATPAY2-SHA256-RSA2048 …`) and the
  JSAPI front-end parameters (paySign) with the merchant private key.
- `V3CallbackOpener` checks a notification: timestamp within tolerance, serial, RSA
  signature over "ts\\nnonce\\nbody\\n" with the platform public key, then decrypts the
  AEAD_AES_256_GCM resource with the APIv3key.  Failures raise `NotificationRejected`
  (401 for forged/stale, 400 for malformed or undecryptable).
"""

from __future__ import annotations

import base64
import json
import secrets
import string
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from commerce.payments.port import NotificationRejected, PaymentNotification, RefundNotification

SCHEME = "WECHATPAY2-SHA256-RSA2048"


def load_private_key(pem: bytes) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("not an RSA private key")
    return key


def load_public_key(pem: bytes) -> rsa.RSAPublicKey:
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("not an RSA public key")
    return key


def _nonce(n: int = 32) -> str:
    return "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(n))


@dataclass(frozen=True)
class V3Signer:
    mchid: str
    serial_no: str
    key: rsa.RSAPrivateKey
    clock: Callable[[], float] = time.time

    def sign(self, message: str) -> str:
        return base64.b64encode(self.key.sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()

    def authorization(self, method: str, path: str, body: str) -> str:
        ts, nonce = str(int(self.clock())), _nonce()
        signature = self.sign(f"{method}\n{path}\n{ts}\n{nonce}\n{body}\n")
        return (f'{SCHEME} mchid="{self.mchid}",nonce_str="{nonce}",signature="{signature}",'
                f'timestamp="{ts}",serial_no="{self.serial_no}"')

    def jsapi_params(self, appid: str, prepay_id: str) -> dict[str, str]:
        ts, nonce, package = str(int(self.clock())), _nonce(), f"prepay_id={prepay_id}"
        return {"appId": appid, "timeStamp": ts, "nonceStr": nonce, "package": package, "signType": "RSA",
                "paySign": self.sign(f"{appid}\n{ts}\n{nonce}\n{package}\n")}


def _header(headers: Mapping[str, str], name: str) -> str:
    lowered = {k.lower(): v for k, v in headers.items()}
    value = lowered.get(name.lower(), "")
    if not value:
        raise NotificationRejected(f"missing header {name}", 401)
    return value


def _time(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


@dataclass(frozen=True)
class V3CallbackOpener:
    platform_key: rsa.RSAPublicKey
    apiv3_key: str
    platform_serial: str = ""  # "" = accept any serial
    tolerance_seconds: int = 300
    clock: Callable[[], float] = field(default=time.time)

    def _verify(self, headers: Mapping[str, str], body: bytes) -> None:
        ts, nonce = _header(headers, "Wechatpay-Timestamp"), _header(headers, "Wechatpay-Nonce")
        signature, serial = _header(headers, "Wechatpay-Signature"), _header(headers, "Wechatpay-Serial")
        kind = {k.lower(): v for k, v in headers.items()}.get("wechatpay-signature-type", SCHEME)
        if kind != SCHEME:
            raise NotificationRejected(f"unsupported signature type {kind}", 401)
        if not ts.isdigit() or abs(self.clock() - int(ts)) > self.tolerance_seconds:
            raise NotificationRejected("stale or invalid timestamp", 401)
        if self.platform_serial and serial != self.platform_serial:
            raise NotificationRejected("unknown platform serial", 401)
        try:
            message = f"{ts}\n{nonce}\n{body.decode()}\n".encode()
            self.platform_key.verify(base64.b64decode(signature), message, padding.PKCS1v15(), hashes.SHA256())
        except (InvalidSignature, ValueError, UnicodeDecodeError):
            raise NotificationRejected("signature mismatch", 401) from None

    def open(self, headers: Mapping[str, str], body: bytes) -> tuple[str, dict[str, Any]]:
        """(event_type, decrypted resource) of a verified notification."""
        self._verify(headers, body)
        try:
            envelope = json.loads(body)
            res = envelope["resource"]
            if res.get("algorithm") != "AEAD_AES_256_GCM":
                raise NotificationRejected("unsupported algorithm", 400)
            plain = AESGCM(self.apiv3_key.encode()).decrypt(
                res["nonce"].encode(), base64.b64decode(res["ciphertext"]), res.get("associated_data", "").encode()
            )
            return str(envelope.get("event_type", "")), json.loads(plain)
        except NotificationRejected:
            raise
        except (InvalidTag, ValueError, KeyError, TypeError, AttributeError):
            raise NotificationRejected("malformed or undecryptable resource", 400) from None

    def payment(self, headers: Mapping[str, str], body: bytes) -> PaymentNotification:
        _, r = self.open(headers, body)
        try:
            return PaymentNotification(
                order_no=str(r["out_trade_no"]), transaction_id=str(r.get("transaction_id", "")),
                trade_state=str(r["trade_state"]), amount_fen=int(r["amount"]["total"]),
                payer_openid=str((r.get("payer") or {}).get("openid", "")), success_time=_time(r.get("success_time")),
            )
        except (KeyError, TypeError, ValueError):
            raise NotificationRejected("resource is not a transaction", 400) from None

    def refund(self, headers: Mapping[str, str], body: bytes) -> RefundNotification:
        _, r = self.open(headers, body)
        try:
            return RefundNotification(
                refund_no=str(r["out_refund_no"]), refund_id=str(r.get("refund_id", "")),
                order_no=str(r.get("out_trade_no", "")), refund_status=str(r.get("refund_status") or r["status"]),
                amount_fen=int(r["amount"]["refund"]), success_time=_time(r.get("success_time")),
            )
        except (KeyError, TypeError, ValueError):
            raise NotificationRejected("resource is not a refund", 400) from None
