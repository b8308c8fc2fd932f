"""Imitation of WeChat Pay API v3 for the demo and tests.

Real v3 paths under `/sandbox/pay` (JSAPI order, query, close, refund, refund
query); request signatures are checked with the merchant public key when one is
configured.  Paying happens when the sandbox pay page's 确认支付 form posts to
`/sandbox/pay/confirm`: the transaction succeeds and a TRANSACTION.SUCCESS
callback is sent to the order's notify_url, signed with the platform RSA key
(`platform_key_file`, generated once) and encrypted with the APIv3 key, re-sent
until answered 200/204.  Refunds succeed shortly after the request and send
REFUND.SUCCESS the same way.  Imports nothing of ours.
"""

from __future__ import annotations

from starlette.routing import BaseRoute

from sandbox.pay.api import PaySandbox
from sandbox.pay.config import PaySandboxConfig

__all__ = ["PaySandbox", "PaySandboxConfig", "routes"]


def routes(config: PaySandboxConfig) -> list[BaseRoute]:
    return PaySandbox(config).routes()
