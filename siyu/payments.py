"""Payments and orders wiring: settings → order policy, the payment gateway (sandbox or real),
the WeChat Pay sandbox, the pay routes, and the after-commit "order paid" hook.

- `configure_orders(settings)`     order timeout / low-stock default into `commerce.orders.policy`.
- `build_gateway(container)`       `pay.adapter`: sandbox → `V3HttpGateway` against
                                   `{public_base_url}/sandbox/pay`; wechatpay → `WechatPayGateway`.
- `pay_route_provider(container)`  `/pay/...` and, in sandbox mode, `/sandbox/pay/...`.
- `on_order_paid(send)`            subscribe `send(OrderPaid)` to run AFTER the payment commits
                                   (the lead wires the WeChat confirmation message here).
- Celery beat: task name `siyu.orders.expire_unpaid` should call `expire_unpaid_orders(container)`.

Sandbox keys (generated once under `{data_dir}/sandbox/`): `pay_platform_key.pem` (the
imitation signs callbacks with it; we verify with its public half) and
`pay_merchant_key.pem` (we sign API requests; the imitation verifies).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.routing import BaseRoute

from commerce import events
from commerce.db import UnitOfWork
from commerce.orders import policy
from commerce.orders import services as orders
from commerce.payments.port import PaymentGateway
from sandbox.pay import PaySandboxConfig
from sandbox.pay import routes as sandbox_pay_routes
from sandbox.pay.keys import load_or_create_private_key, public_pem
from siyu.adapters.pay_sandbox import V3HttpGateway
from siyu.adapters.wechatpay_v3 import V3CallbackOpener, V3Signer
from siyu.settings import Settings

if TYPE_CHECKING:
    from siyu.container import Container

log = logging.getLogger("siyu.payments")

SANDBOX_MOUNT = "/sandbox/pay"
SANDBOX_SERIAL = "PUB_KEY_ID_0000SIYUSANDBOX0000"
SANDBOX_MERCHANT_SERIAL = "5157F09EFDC096DE15EBE81A47057A72SANDBOX0"


def configure_orders(settings: Settings) -> None:
    policy.configure(
        payment_timeout=timedelta(minutes=settings.orders.payment_timeout_minutes),
        low_stock_threshold=settings.orders.low_stock_threshold,
    )
    if settings.orders.reserve_stock_at != "order":
        log.warning("orders.reserve_stock_at=%s is not supported: stock is reserved at order creation",
                     settings.orders.reserve_stock_at)


def _sandbox_dir(data_dir: Path) -> Path:
    return data_dir / "sandbox"


def _merchant_key_file(settings: Settings, data_dir: Path) -> Path:
    if settings.pay.merchant_private_key_file:
        return Path(settings.pay.merchant_private_key_file)
    return _sandbox_dir(data_dir) / "pay_merchant_key.pem"


def sandbox_config(settings: Settings, data_dir: Path) -> PaySandboxConfig:
    merchant = load_or_create_private_key(_merchant_key_file(settings, data_dir))
    return PaySandboxConfig(
        mchid=settings.pay.mchid, appid=settings.wechat.app_id, apiv3_key=settings.pay.apiv3_key,
        platform_key_file=_sandbox_dir(data_dir) / "pay_platform_key.pem",
        platform_public_key_id=settings.pay.platform_public_key_id or SANDBOX_SERIAL,
        merchant_public_key_pem=public_pem(merchant), state_file=_sandbox_dir(data_dir) / "pay_state.json",
        mount_path=SANDBOX_MOUNT, retry_after_seconds=settings.sandbox.retry_after_seconds,
    )


def sandbox_gateway(settings: Settings, data_dir: Path, client: object | None = None) -> V3HttpGateway:
    """The gateway talking to the imitation (client: an httpx.Client, e.g. a TestClient)."""
    platform = load_or_create_private_key(_sandbox_dir(data_dir) / "pay_platform_key.pem")
    merchant = load_or_create_private_key(_merchant_key_file(settings, data_dir))
    signer = V3Signer(settings.pay.mchid, settings.pay.merchant_serial_no or SANDBOX_MERCHANT_SERIAL, merchant)
    opener = V3CallbackOpener(platform.public_key(), settings.pay.apiv3_key,
                              settings.pay.platform_public_key_id or SANDBOX_SERIAL,
                              settings.pay.timestamp_tolerance_seconds)
    notify = settings.pay_notify_url
    base = settings.public_base_url.rstrip("/") + SANDBOX_MOUNT
    return V3HttpGateway(base_url=base, appid=settings.wechat.app_id, signer=signer, opener=opener,
                         notify_url=notify, refund_notify_url=notify.rsplit("/", 1)[0] + "/refund-notify",
                         client=client)  # type: ignore[arg-type]


def build_gateway(c: Container) -> PaymentGateway:
    if c.settings.pay.adapter == "wechatpay":
        from siyu.adapters.wechatpay import WechatPayGateway

        return WechatPayGateway.from_settings(c.settings)
    return sandbox_gateway(c.settings, c.data_dir)


def pay_route_provider(c: Container) -> list[BaseRoute]:
    from bot.web.pay import PayWebConfig, pay_routes

    configure_orders(c.settings)
    sandbox = c.settings.pay.adapter == "sandbox"
    routes = pay_routes(PayWebConfig(
        db=c.db, gateway=c.pay_gateway,
        shop_name=c.settings.shop.name, sandbox_confirm_url=f"{SANDBOX_MOUNT}/confirm" if sandbox else None,
    ))
    if sandbox and c.settings.sandbox.enabled:
        routes += sandbox_pay_routes(sandbox_config(c.settings, c.data_dir))
    return routes


def on_order_paid(send: Callable[[events.OrderPaid], None]) -> None:
    """Call `send(event)` once the payment transaction has committed (never for a rolled-back one)."""

    def handler(uow: UnitOfWork, event: events.OrderPaid) -> None:
        uow.after_commit(lambda: send(event))

    events.subscribe(events.OrderPaid, handler)


def expire_unpaid_orders(c: Container) -> int:
    """Body of the beat task `siyu.orders.expire_unpaid`."""
    with c.db.uow() as uow:
        n = orders.expire_unpaid(uow)
        uow.commit()
    if n:
        log.info("cancelled %d unpaid orders after the payment timeout / 已取消 %d 个超时未支付订单", n, n)
    return n
