"""Logistics and after-sale wiring: the courier tracker (Kuaidi100 wire format, real or sandbox),
`POST /courier/notify`, the courier imitation, shipping with a push subscription, and the
chat's after-sale ports.

- `build_courier(c)`        `courier.adapter`: sandbox → Kuaidi100Tracker against
                            `{public_base_url}/sandbox/courier`; kuaidi100 → `courier.base_url`.
- `logistics_routes(c)`     /courier/notify and, in sandbox mode, /sandbox/courier/...;
                            configures the chat's after-sale ports (pay gateway, courier).
- `ship(c, order_no, …)`    record the parcel, commit, then subscribe for pushes (best effort).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from starlette.routing import BaseRoute

from commerce.aftersale.views import AfterSaleView
from commerce.logistics import services as logistics
from commerce.logistics.port import CourierUnavailable
from commerce.logistics.services import ShipmentView
from sandbox.courier import CourierSandboxConfig
from siyu.adapters.kuaidi100 import Kuaidi100Tracker
from siyu.settings import Settings

if TYPE_CHECKING:
    from siyu.container import Container

log = logging.getLogger("siyu.logistics")

SANDBOX_MOUNT = "/sandbox/courier"
NOTIFY_PATH = "/courier/notify"


def _demo_clock() -> float:
    from commerce.clock import now

    return now().timestamp()  # `siyu demo-time advance` moves parcels along too


def sandbox_config(settings: Settings) -> CourierSandboxConfig:
    s = settings.courier
    return CourierSandboxConfig(customer=s.customer, key=s.key, mount_path=SANDBOX_MOUNT,
                                step_seconds=s.sandbox_step_seconds, clock=_demo_clock)


def build_tracker(settings: Settings, client: object | None = None) -> Kuaidi100Tracker:
    s = settings.courier
    base = settings.public_base_url.rstrip("/") + SANDBOX_MOUNT if s.adapter == "sandbox" else s.base_url
    callback = s.callback_url or settings.public_base_url.rstrip("/") + NOTIFY_PATH
    return Kuaidi100Tracker(base_url=base, customer=s.customer, key=s.key, salt=s.salt, callback_url=callback,
                            client=client)  # type: ignore[arg-type]


def build_courier(c: Container) -> Kuaidi100Tracker:
    return build_tracker(c.settings)


def configure_chat(c: Container) -> None:
    from bot.dialogue.handlers import aftersale as chat
    from commerce.cooperative import Offloaded

    # HTTP adapters: called from the dialogue, which may run on the event loop (commerce.cooperative)
    gateway, courier = c.pay_gateway, c.courier
    chat.configure(chat.AfterSalePorts(gateway=gateway and Offloaded(gateway), courier=courier and Offloaded(courier),
                                       after_sale_days=c.settings.orders.after_sale_days))


def logistics_routes(c: Container) -> list[BaseRoute]:
    from bot.web.courier import courier_routes

    configure_chat(c)
    routes = courier_routes(c.db, c.courier)
    if c.settings.courier.adapter == "sandbox" and c.settings.sandbox.enabled:
        from sandbox.courier import routes as sandbox_routes

        routes += sandbox_routes(sandbox_config(c.settings))
    return routes


def ship(c: Container, order_no: str, *, carrier: str, tracking_no: str, actor: str) -> tuple[ShipmentView, bool]:
    """Ship the order, then ask the courier to push updates; (view, subscribed)."""
    with c.db.uow() as uow:
        view = logistics.record_shipment(uow, order_no, carrier=carrier, tracking_no=tracking_no, actor=actor)
        phone = _receiver_phone(uow, order_no)
        uow.commit()
    try:
        c.courier.subscribe(view.carrier, view.tracking_no, phone)
    except CourierUnavailable as exc:
        log.warning("courier subscription for %s failed (tracking still works on demand): %s", order_no, exc)
        return view, False
    with c.db.uow() as uow:
        logistics.mark_subscribed(uow, order_no)
        uow.commit()
    return view, True


def _receiver_phone(uow: object, order_no: str) -> str:
    from commerce.orders.lifecycle import load_order

    return load_order(uow, order_no).receiver_phone  # type: ignore[arg-type]


def register_subscriptions() -> None:
    """After-sale requests follow refund results (OrderRefunded); every process that applies refunds."""
    from commerce.aftersale import outcomes

    outcomes.register()


def notify_after_sale(c: Container, view: AfterSaleView) -> bool:
    """Tell the buyer what happened to their request (customer-service message, best effort)."""
    from bot import texts
    from bot.messages import TextReply

    note = texts.AFTER_SALE_UPDATE_NOTE.format(note=view.merchant_note) if view.merchant_note else ""
    text = texts.AFTER_SALE_UPDATE.format(id=view.id, order_no=view.order_no, note=note,
                                          status=texts.AFTER_SALE_STATUS.get(view.status, view.status))
    try:
        return bool(c.outbound.send(view.openid, TextReply(text)))
    except Exception:  # noqa: BLE001 - the decision stands; the message is best effort
        log.warning("after-sale notice for %s not sent", view.id, exc_info=True)
        return False
