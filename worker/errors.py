"""Which errors a task retries: adapter failures that may pass, never domain errors."""

from __future__ import annotations

from bot.wechat_api import OutsideWindow, QuotaExceeded, TransientAPIError


class TransientError(Exception):
    """An adapter failure worth retrying (network, timeout, WeChat -1 busy, 5xx).

    Adapters raise a subclass (or their own error listed in `TRANSIENT_ERRORS`);
    domain errors and permanent API errors (bad openid, quota exhausted) are
    never retried.
    """


# worker may import bot's WeChat client (bot must not import worker), so its
# transient error is listed here rather than subclassing ours.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (TransientError, TransientAPIError)

# The user cannot receive customer-service messages now (48 h window closed,
# 5-message quota used): not retried, not a failure to alarm on. The chat
# reply checks the quota before queueing; this covers the race.
UNDELIVERABLE_ERRORS: tuple[type[BaseException], ...] = (OutsideWindow, QuotaExceeded)

RETRY_POLICY: dict[str, object] = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 2,  # 2, 4, 8, … seconds
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 6,
}
