"""AES-GCM encryption of personal data at rest, as one SQLAlchemy column type.

Stored form: ``v1:<key id>:<base64(nonce(12) + ciphertext + tag)>``.  The key id
travels with the ciphertext, so keys can be rotated: new writes use the first
key of the ring, reads use whichever key the value names.

The key ring is configured once at start-up by the composition root
(`configure_keys`).  Without keys, writing personal data raises — production
refuses to start without a key; the demo generates a local key file.

Note: this module uses `cryptography` inside `commerce` — the one third-party
library besides SQLAlchemy the core depends on, because "encrypted at rest" is
a domain rule, not an edge concern.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

PREFIX = "v1"


class KeyRingError(RuntimeError):
    pass


@dataclass(frozen=True)
class KeyRing:
    keys: dict[str, bytes]
    current: str

    @classmethod
    def parse(cls, spec: str) -> KeyRing:
        """`kid:base64key[,kid:base64key…]`; the first one encrypts new values."""
        keys: dict[str, bytes] = {}
        current = ""
        for part in filter(None, (p.strip() for p in spec.split(","))):
            kid, _, b64 = part.partition(":")
            if not kid or not b64:
                raise KeyRingError("privacy key must look like 'kid:base64key' / 隐私密钥格式应为 kid:base64key")
            raw = base64.b64decode(b64)
            if len(raw) != 32:
                raise KeyRingError(f"privacy key {kid!r} must be 32 bytes / 隐私密钥须为 32 字节")
            keys[kid] = raw
            current = current or kid
        if not keys:
            raise KeyRingError("no privacy key configured / 未配置隐私数据密钥")
        return cls(keys, current)

    @staticmethod
    def generate_spec(kid: str = "k1") -> str:
        return f"{kid}:{base64.b64encode(os.urandom(32)).decode()}"


_ring: KeyRing | None = None


def configure_keys(ring: KeyRing | None) -> None:
    global _ring
    _ring = ring


def _require_ring() -> KeyRing:
    if _ring is None:
        raise KeyRingError("personal data key not configured / 未配置个人信息加密密钥")
    return _ring


@lru_cache(maxsize=16)
def _aead(key: bytes) -> AESGCM:
    """One AESGCM object per key (the dialogue state is encrypted on every message)."""
    return AESGCM(key)


def encrypt(plaintext: str) -> str:
    ring = _require_ring()
    nonce = os.urandom(12)
    ct = _aead(ring.keys[ring.current]).encrypt(nonce, plaintext.encode("utf-8"), ring.current.encode())
    return f"{PREFIX}:{ring.current}:{base64.b64encode(nonce + ct).decode()}"


def decrypt(stored: str) -> str:
    ring = _require_ring()
    prefix, _, rest = stored.partition(":")
    kid, _, b64 = rest.partition(":")
    if prefix != PREFIX or kid not in ring.keys:
        raise KeyRingError(f"unknown key id {kid!r} / 未知密钥编号")
    try:
        blob = base64.b64decode(b64, validate=True)
        return _aead(ring.keys[kid]).decrypt(blob[:12], blob[12:], kid.encode()).decode("utf-8")
    except (ValueError, InvalidTag) as exc:
        raise KeyRingError(f"personal data could not be decrypted with key {kid!r} / 个人信息解密失败") from exc


def is_encrypted(stored: str | None) -> bool:
    return stored is None or stored.startswith(PREFIX + ":")


class EncryptedString(TypeDecorator[str]):
    """A string column stored encrypted; reads return plaintext."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else encrypt(str(value))

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else decrypt(value)


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "***"


def mask_name(name: str) -> str:
    return (name[0] + "*" * (len(name) - 1)) if name else ""
