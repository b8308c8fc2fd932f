"""WeChat's servers' side of the callback protocol: the XML they build, how they sign and encrypt it.

Raw forms, exactly as WeChat sends them: `subscribe` + `EventKey=qrscene_X` +
`Ticket` for a first-time scan, `SCAN` + `EventKey=X` for a follower, `CLICK` +
key; `MsgId` on ordinary messages only.  Safe mode wraps the XML in
`<xml><ToUserName/><Encrypt/></xml>` and signs it with `msg_signature`.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets
import struct
from dataclasses import dataclass
from typing import Literal

from wechatpy.crypto.cryptography import WeChatCipher
from wechatpy.crypto.pkcs7 import PKCS7Encoder

Mode = Literal["plaintext", "compat", "aes"]
_NOT_XML_CHAR = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def cdata(value: str) -> str:
    clean = _NOT_XML_CHAR.sub("", value).replace("]]>", "]]]]><![CDATA[>")
    return f"<![CDATA[{clean}]]>"


def _xml(fields: list[tuple[str, str | int]]) -> str:
    parts = [f"<{k}>{v}</{k}>" if isinstance(v, int) else f"<{k}>{cdata(v)}</{k}>" for k, v in fields]
    return "<xml>" + "".join(parts) + "</xml>"


def text_xml(to_user: str, openid: str, created: int, content: str, msg_id: int) -> str:
    return _xml([("ToUserName", to_user), ("FromUserName", openid), ("CreateTime", created),
                 ("MsgType", "text"), ("Content", content), ("MsgId", msg_id)])


def event_xml(to_user: str, openid: str, created: int, event: str, key: str = "", ticket: str = "") -> str:
    fields: list[tuple[str, str | int]] = [("ToUserName", to_user), ("FromUserName", openid),
                                            ("CreateTime", created), ("MsgType", "event"), ("Event", event)]
    if key or event in ("CLICK", "VIEW", "SCAN"):
        fields.append(("EventKey", key))
    if ticket:
        fields.append(("Ticket", ticket))
    return _xml(fields)


def signature(*values: str) -> str:
    return hashlib.sha1("".join(sorted(values)).encode()).hexdigest()


def new_nonce() -> str:
    return secrets.token_hex(5)


@dataclass(frozen=True)
class Envelope:
    """A callback ready to POST: query parameters and body."""

    query: dict[str, str]
    body: str


def seal(xml: str, *, token: str, timestamp: str, nonce: str, mode: Mode = "plaintext",
         aes_key: str = "", app_id: str = "", to_user: str = "", openid: str = "") -> Envelope:
    """Sign (and in compat/aes mode encrypt) `xml` the way WeChat does."""
    query = {"signature": signature(token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce}
    if openid:
        query["openid"] = openid
    if mode == "plaintext":
        return Envelope(query, xml)
    encrypted = encrypt(xml, aes_key, app_id)
    query.update(encrypt_type="aes", msg_signature=signature(token, timestamp, nonce, encrypted))
    wrapper = f"<ToUserName>{cdata(to_user)}</ToUserName><Encrypt>{cdata(encrypted)}</Encrypt>"
    body = xml.replace("</xml>", f"<Encrypt>{cdata(encrypted)}</Encrypt></xml>") if mode == "compat" \
        else f"<xml>{wrapper}</xml>"
    return Envelope(query, body)


def aes_key_bytes(encoding_aes_key: str) -> bytes:
    return base64.b64decode(encoding_aes_key + "=")


def encrypt(xml: str, encoding_aes_key: str, app_id: str) -> str:
    """random(16) + len + xml + appid, PKCS#7 to 32 bytes, AES-256-CBC (IV = key[:16]), base64."""
    raw = xml.encode()
    plain = os.urandom(16) + struct.pack(">I", len(raw)) + raw + app_id.encode()
    cipher = WeChatCipher(aes_key_bytes(encoding_aes_key))
    return base64.b64encode(cipher.encrypt(PKCS7Encoder.encode(plain))).decode()


def decrypt(encrypted: str, encoding_aes_key: str) -> tuple[str, str]:
    """→ (xml, app_id); the inverse of `encrypt` (used to read our encrypted passive replies)."""
    plain = WeChatCipher(aes_key_bytes(encoding_aes_key)).decrypt(base64.b64decode(encrypted))
    content = plain[16 : -plain[-1]]
    (length,) = struct.unpack(">I", content[:4])
    return content[4 : 4 + length].decode(), content[4 + length :].decode()


def random_aes_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()[:43]
