"""Who sent this callback: signature, timestamp window and (safe mode) decryption via wechatpy.

`CallbackVerifier` is built once per process (it caches `WeChatCrypto`).  Every
check raises `Rejected`: forged or stale → 403, undecryptable payload → 400,
decrypted payload for another AppID → 403.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import struct
import time
from collections.abc import Mapping

from wechatpy.crypto import WeChatCrypto
from wechatpy.crypto.cryptography import WeChatCipher
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.utils import WeChatSigner, check_signature

from bot.edge.config import EdgeConfig
from bot.edge.inbound_xml import Fields
from bot.edge.rejection import bad_request, forbidden

_PKCS7_BLOCK = 32  # WeChat pads to 32 bytes, not AES's 16


class CallbackVerifier:
    def __init__(self, config: EdgeConfig) -> None:
        self._token = config.token
        self._tolerance = config.timestamp_tolerance_seconds
        self._app_id = config.app_id.encode()
        self._crypto: WeChatCrypto | None = None
        self._cipher: WeChatCipher | None = None
        if config.encoding_aes_key:
            self._crypto = WeChatCrypto(config.token, config.encoding_aes_key, config.app_id)
            self._cipher = WeChatCipher(self._crypto.key)

    def check_query(self, query: Mapping[str, str], *, require_signature: bool = True) -> None:
        """Timestamp window, then the plain `signature` (mandatory outside safe mode)."""
        timestamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
        try:
            sent_at = int(timestamp)
        except ValueError:
            raise forbidden("timestamp missing or not an integer") from None
        if abs(time.time() - sent_at) > self._tolerance:
            raise forbidden(f"stale timestamp {sent_at}")
        signature = query.get("signature", "")
        if not signature and not require_signature:
            return
        try:
            check_signature(self._token, signature, timestamp, nonce)
        except InvalidSignatureException:
            raise forbidden("bad signature") from None

    def decrypt(self, envelope: Fields, query: Mapping[str, str]) -> str:
        """Safe/compatible mode: verify msg_signature over <Encrypt>, decrypt, check the AppID."""
        if self._crypto is None or self._cipher is None:
            raise forbidden("encrypted callback but no EncodingAESKey configured")
        encrypted = envelope.get("Encrypt")
        if not isinstance(encrypted, str) or not encrypted:
            raise bad_request("safe mode without <Encrypt>")
        signer = WeChatSigner()
        signer.add_data(self._token, query.get("timestamp", ""), query.get("nonce", ""), encrypted)
        if not hmac.compare_digest(signer.signature, query.get("msg_signature", "")):
            raise forbidden("bad msg_signature")
        xml, app_id = _open_envelope(self._cipher.decrypt(_ciphertext(encrypted)))
        if app_id != self._app_id:
            raise forbidden("payload encrypted for another AppID")
        return xml

    def encrypt(self, reply_xml: str, nonce: str) -> str:
        assert self._crypto is not None
        return self._crypto.encrypt_message(reply_xml, nonce, str(int(time.time())))  # type: ignore[no-any-return]


def _ciphertext(encrypted: str) -> bytes:
    try:
        raw = base64.b64decode(encrypted.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise bad_request("<Encrypt> is not valid base64") from None
    if not raw or len(raw) % _PKCS7_BLOCK:
        raise bad_request("<Encrypt> is truncated (not whole AES blocks)")
    return raw


def _open_envelope(plain: bytes) -> tuple[str, bytes]:
    """random(16) + len(4, network order) + xml + appid + PKCS#7(32) → (xml, appid)."""
    pad = plain[-1]
    if not 1 <= pad <= _PKCS7_BLOCK or plain[-pad:] != bytes([pad]) * pad:
        raise bad_request("<Encrypt> has bad padding (truncated or corrupted)")
    content = plain[16:-pad]
    if len(content) < 4:
        raise bad_request("<Encrypt> payload too short")
    (length,) = struct.unpack(">I", content[:4])
    if 4 + length > len(content):
        raise bad_request("<Encrypt> length field exceeds the payload")
    try:
        xml = content[4 : 4 + length].decode("utf-8")
    except UnicodeDecodeError:
        raise bad_request("decrypted payload is not UTF-8") from None
    return xml, content[4 + length :]
