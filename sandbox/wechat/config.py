"""What the WeChat imitation needs: the official account it plays, our callback, its rules."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx


@dataclass
class WeChatSandboxConfig:
    app_id: str
    app_secret: str
    token: str  # the callback token (signature)
    original_id: str = "gh_siyu_demo"
    encoding_aes_key: str = ""  # needed for compat/aes callbacks
    callback_url: str = "http://127.0.0.1:8000/wechat"
    retry_after_seconds: float = 5.0  # WeChat re-sends a callback it got no answer to
    callback_attempts: int = 3
    token_ttl_seconds: int = 7200
    cs_quota_per_48h: int = 5
    cs_event_quota_per_minute: int = 3
    media_dir: Path | None = None  # None = keep uploaded media in memory
    menu: dict[str, Any] = field(default_factory=dict)  # shown until the app pushes one
    clock: Callable[[], float] = time.time
    callback_transport: httpx.AsyncBaseTransport | None = None  # tests: call the app in-process
