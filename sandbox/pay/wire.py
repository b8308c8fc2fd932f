"""WeChat Pay v3 wire format, as the platform produces and checks it.

- Callbacks: body `{"id","create_time","event_type","resource_type","summary","resource":{…}}`;
  the resource is AEAD_AES_256_GCM under the APIv3 key (32 ASCII bytes), nonce 12 chars,
  ciphertext = base64(ct + tag); headers Wechatpay-Timestamp/-Nonce/-Signature/-Serial/
  -Signature-Type, signature = base64(RSA-SHA256-PKCS1v15("ts\\nnonce\\nbody\\n")).
- Requests: `Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",signature="…",
  timestamp="…",serial_no="…"` over "METHOD\\nPATH?QUERY\\nTS\\nNONCE\\nBODY\\n".
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import string
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048"
CHINA = timezone(timedelta(hours=8))
_AUTH_FIELD = re.compile(r'(\w+)="([^"]*)"')


def rfc3339(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).astimezone(CHINA).isoformat(timespec="seconds")


def nonce(n: int = 32) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(n))


def encrypt_resource(apiv3_key: str, plain: dict[str, Any], associated_data: str, original_type: str) -> dict[str, str]:
    iv = nonce(12)
    ct = AESGCM(apiv3_key.encode()).encrypt(iv.encode(), json.dumps(plain, ensure_ascii=False).encode(),
                                            associated_data.encode())
    return {
        "algorithm": "AEAD_AES_256_GCM",
        "ciphertext": base64.b64encode(ct).decode(),
        "nonce": iv,
        "associated_data": associated_data,
        "original_type": original_type,
    }


def sign(key: rsa.RSAPrivateKey, message: str) -> str:
    return base64.b64encode(key.sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()


def callback(
    key: rsa.RSAPrivateKey, serial: str, apiv3_key: str, *, event_type: str, summary: str,
    plain: dict[str, Any], associated_data: str, original_type: str, now: float,
) -> tuple[dict[str, str], bytes]:
    """Headers and body of one signed, encrypted notification."""
    body = json.dumps({
        "id": str(uuid.uuid4()),
        "create_time": rfc3339(now),
        "resource_type": "encrypt-resource",
        "event_type": event_type,
        "summary": summary,
        "resource": encrypt_resource(apiv3_key, plain, associated_data, original_type),
    }, ensure_ascii=False).encode()
    ts, nc = str(int(now)), nonce()
    headers = {
        "Content-Type": "application/json",
        "Wechatpay-Timestamp": ts,
        "Wechatpay-Nonce": nc,
        "Wechatpay-Signature": sign(key, f"{ts}\n{nc}\n{body.decode()}\n"),
        "Wechatpay-Serial": serial,
        "Wechatpay-Signature-Type": SIGNATURE_TYPE,
    }
    return headers, body


def signed_response_headers(key: rsa.RSAPrivateKey, serial: str, body: bytes, now: float) -> dict[str, str]:
    """WeChat Pay signs its API responses like its callbacks (the SDKs refuse an unsigned 2xx)."""
    ts, nc = str(int(now)), nonce()
    return {
        "Content-Type": "application/json; charset=utf-8",
        "Wechatpay-Timestamp": ts,
        "Wechatpay-Nonce": nc,
        "Wechatpay-Signature": sign(key, f"{ts}\n{nc}\n{body.decode()}\n"),
        "Wechatpay-Serial": serial,
        "Wechatpay-Signature-Type": SIGNATURE_TYPE,
    }


def decrypt_sensitive(key: rsa.RSAPrivateKey, ciphertext: str) -> str | None:
    """A field the merchant encrypted with our public key (RSA-OAEP, SHA-1, as WeChat Pay v3 specifies)."""
    try:
        plain = key.decrypt(base64.b64decode(ciphertext),
                            padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None))
        return plain.decode()
    except (ValueError, TypeError, UnicodeDecodeError):
        return None


def verify_request(public_pem: bytes, authorization: str, method: str, path: str, body: str) -> str | None:
    """None if the merchant's request signature is valid, else the reason."""
    scheme, _, rest = authorization.partition(" ")
    if scheme != SIGNATURE_TYPE:
        return "unsupported authorization scheme"
    fields = dict(_AUTH_FIELD.findall(rest))
    if not {"mchid", "nonce_str", "signature", "timestamp", "serial_no"} <= fields.keys():
        return "incomplete authorization header"
    message = f"{method}\n{path}\n{fields['timestamp']}\n{fields['nonce_str']}\n{body}\n"
    key = serialization.load_pem_public_key(public_pem)
    if not isinstance(key, rsa.RSAPublicKey):
        return "merchant key is not RSA"
    try:
        key.verify(base64.b64decode(fields["signature"]), message.encode(), padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):
        return "signature mismatch"
    return None
