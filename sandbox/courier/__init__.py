"""Imitation of Kuaidi100 (快递100) for the demo and tests.

`POST {mount}/poll/query.do` answers real-time queries in Kuaidi100's wire format
(form fields customer/sign/param, sign = MD5(param + key + customer) upper-case,
checked); `POST {mount}/poll` takes push subscriptions; subscribed parcels are
pushed to their callback URL (form param/sign, sign = MD5(param + salt)) whenever
their tracking moves: 揽收 → 在途 → 到达 → 派件 → 签收, one stage every
`step_seconds` from the moment the parcel was first seen.  A tracking number
ending in 404 has no record yet.  Imports nothing of ours.
"""

from __future__ import annotations

from starlette.routing import BaseRoute

from sandbox.courier.api import CourierSandbox
from sandbox.courier.config import CourierSandboxConfig

__all__ = ["CourierSandbox", "CourierSandboxConfig", "routes"]


def routes(config: CourierSandboxConfig) -> list[BaseRoute]:
    return CourierSandbox(config).routes()
