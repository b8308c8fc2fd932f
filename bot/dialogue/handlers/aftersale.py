"""After-sale chat: 我要退款 / 申请退货 / 不想要了 → the after-sale rules in `commerce.aftersale`.

The composition root hands in the outside world once with `configure(AfterSalePorts(...))`:
the payment gateway (refunds) and the courier tracker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from commerce.logistics.port import CourierTracker


@dataclass(frozen=True)
class AfterSalePorts:
    gateway: Any = None  # commerce.payments.port.PaymentGateway (None: refunds go to a human)
    courier: CourierTracker | None = None  # None: tracking shows what the pushes told us
    after_sale_days: int = 7


_ports = [AfterSalePorts()]


def configure(ports: AfterSalePorts) -> None:
    _ports[0] = ports


def ports() -> AfterSalePorts:
    return _ports[0]
