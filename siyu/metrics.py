"""Prometheus metrics: HTTP traffic per route family, and business events (orders paid, refunds).

Labels stay low-cardinality: the route is the first path segment (`/wechat`, `/pay`,
`/sandbox`…), never an order number or openid.
"""

from __future__ import annotations

import functools
import time
from typing import Any

from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from commerce import events
from commerce.db import UnitOfWork

HTTP_REQUESTS = Counter("siyu_http_requests_total", "HTTP requests", ["route", "method", "status"])
HTTP_SECONDS = Histogram("siyu_http_request_seconds", "HTTP request duration", ["route"],
                         buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 4.0, 5.0, 10.0))
ORDERS_PAID = Counter("siyu_orders_paid_total", "Orders paid")
PAID_FEN = Counter("siyu_paid_fen_total", "Amount paid, in fen")
REFUNDED_FEN = Counter("siyu_refunded_fen_total", "Amount refunded, in fen")
KNOWN_ROUTES = frozenset({"wechat", "pay", "payout", "courier", "sandbox", "simulator", "p", "media", "healthz",
                          "metrics"})


def route_family(path: str) -> str:
    head = path.strip("/").split("/", 1)[0]
    return "/" + head if head in KNOWN_ROUTES else "/other"


class MetricsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        route, started, status = route_family(scope["path"]), time.perf_counter(), 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            observe(route, scope["method"], status, time.perf_counter() - started)


@functools.lru_cache(maxsize=256)
def _children(route: str, method: str, status: int) -> tuple[Any, Any]:
    return HTTP_REQUESTS.labels(route, method, str(status)), HTTP_SECONDS.labels(route)


def observe(route: str, method: str, status: int, seconds: float) -> None:
    """Count one HTTP request of a route family and time it."""
    count, duration = _children(route, method, status)
    count.inc()
    duration.observe(seconds)


def _on_paid(uow: UnitOfWork, event: events.OrderPaid) -> None:
    uow.after_commit(lambda: (ORDERS_PAID.inc(), PAID_FEN.inc(event.paid_fen)))


def _on_refunded(uow: UnitOfWork, event: events.OrderRefunded) -> None:
    uow.after_commit(lambda: REFUNDED_FEN.inc(event.refund_fen))


def register(_: Any = None) -> None:
    events.subscribe(events.OrderPaid, _on_paid)
    events.subscribe(events.OrderRefunded, _on_refunded)
