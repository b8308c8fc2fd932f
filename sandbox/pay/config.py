"""What the WeChat Pay v3 imitation needs: the merchant it serves, its keys and callback rules."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx


@dataclass
class PaySandboxConfig:
    mchid: str
    appid: str
    apiv3_key: str  # 32 ASCII bytes: encrypts callback resources (AEAD_AES_256_GCM)
    platform_key_file: Path  # RSA key signing callbacks; generated once when missing
    platform_public_key_id: str = "PUB_KEY_ID_0000SIYUSANDBOX0000"
    # Merchant public key (PEM) that verifies request signatures; None = accept unsigned requests.
    merchant_public_key_pem: bytes | None = None
    state_file: Path | None = None  # None = keep transactions in memory only
    mount_path: str = "/sandbox/pay"
    retry_after_seconds: float = 5.0  # WeChat Pay re-sends a callback that got no 200/204
    callback_attempts: int = 8
    refund_delay_seconds: float = 0.2  # the refund result callback follows this long after the request
    clock: Callable[[], float] = time.time
    callback_transport: httpx.AsyncBaseTransport | None = None  # tests: call the app in-process
