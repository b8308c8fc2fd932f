"""Which errors a task retries: adapter failures that may pass, never domain errors."""

from __future__ import annotations


class TransientError(Exception):
    """An adapter failure worth retrying (network, timeout, WeChat -1 busy, 5xx).

    Adapters raise a subclass (or their own error listed in `TRANSIENT_ERRORS`);
    domain errors and permanent API errors (bad openid, quota exhausted) are
    never retried.
    """


# TODO(issue 4): add bot.wechat_api's transient error class here once it exists
# (worker may import bot's WeChat client; bot must not import worker).
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (TransientError,)

RETRY_POLICY: dict[str, object] = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 2,  # 2, 4, 8, … seconds
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 6,
}
