"""Order policy knobs, set once by the composition root from settings (`configure`).

commerce never reads settings itself; the defaults here match `config.yml`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from commerce.shipping.templates import DEFAULT_TEMPLATE, ShippingTemplate


@dataclass(frozen=True)
class OrderPolicy:
    payment_timeout: timedelta = timedelta(minutes=30)
    low_stock_threshold: int = 5  # default for SKUs without their own threshold
    shipping: ShippingTemplate = DEFAULT_TEMPLATE
    max_quantity_per_line: int = 999
    expire_batch_size: int = 200


_policy = OrderPolicy()


def current() -> OrderPolicy:
    return _policy


def configure(policy: OrderPolicy | None = None, **changes: object) -> OrderPolicy:
    """Replace the policy (or change some fields); returns the new one."""
    global _policy
    _policy = replace(policy or _policy, **changes)  # type: ignore[arg-type]
    return _policy


def reset() -> None:
    global _policy
    _policy = OrderPolicy()
