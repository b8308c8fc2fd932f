"""Settings of the courier imitation (chosen by the composition root)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class CourierSandboxConfig:
    customer: str  # the account id Kuaidi100 gives a merchant
    key: str  # the authorisation key (query sign, subscription)
    mount_path: str = "/sandbox/courier"
    step_seconds: float = 6 * 3600  # time between tracking stages: 揽收 → 在途 → 到达 → 派件 → 签收
    tick_seconds: float = 5.0  # how often subscriptions are checked for news to push (0 = only on demand)
    clock: Callable[[], float] = field(default=time.time)  # epoch seconds (the demo passes its movable clock)
    callback_transport: Any = None  # httpx transport for pushes (tests: ASGITransport into the same app)
    retry_after_seconds: float = 30.0  # an unanswered push is re-sent at the next tick after this long
