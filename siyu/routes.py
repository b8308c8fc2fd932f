"""Route providers per package.  Each is `fn(container) -> list[BaseRoute]`; add yours here."""

from __future__ import annotations

from starlette.routing import BaseRoute

from siyu.app import RouteProvider
from siyu.container import Container


def _dialogue_routes(c: Container) -> list[BaseRoute]:
    from siyu.dialogue import dialogue_routes  # product page /p/{id} and /media/{path}

    return dialogue_routes(c)


def _pay_routes(c: Container) -> list[BaseRoute]:
    from siyu.payments import (
        pay_route_provider,  # /pay/{order_no}, /pay/notify, /pay/refund-notify, /sandbox/pay
    )

    return pay_route_provider(c)


def _wechat_routes(c: Container) -> list[BaseRoute]:
    from siyu.edge import wechat_routes  # /wechat

    return wechat_routes(c)


def _edge_routes(c: Container) -> list[BaseRoute]:
    from siyu.edge import edge_routes  # with the sandbox on, /sandbox/... and /simulator

    return edge_routes(c)


def _distribution_routes(c: Container) -> list[BaseRoute]:
    from siyu.distribution import (
        distribution_routes,  # /payout/notify and, in sandbox mode, /sandbox/transfer
    )

    return distribution_routes(c)


def _logistics_routes(c: Container) -> list[BaseRoute]:
    from siyu.logistics import logistics_routes  # /courier/notify and, in sandbox mode, /sandbox/courier

    return logistics_routes(c)


# /wechat first: it is the hot path and every route tried before it costs a match.
# Specific sandbox paths (transfer-bills under /sandbox/pay/v3/fund-app, courier) before the pay sandbox mount.
PROVIDERS: list[RouteProvider] = [
    _wechat_routes, _distribution_routes, _logistics_routes, _edge_routes, _pay_routes, _dialogue_routes,
]
