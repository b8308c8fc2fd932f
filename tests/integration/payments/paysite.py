"""An in-process pay site: our /pay routes + the WeChat Pay sandbox, wired like siyu does, with the
sandbox calling back into the same app and our gateway calling the sandbox through a TestClient."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bot.web.pay import PayWebConfig, pay_routes
from commerce.db import Database
from sandbox.pay import wire
from sandbox.pay.keys import load_or_create_private_key
from siyu.adapters.pay_sandbox import V3HttpGateway
from siyu.payments import SANDBOX_SERIAL, sandbox_config, sandbox_gateway
from siyu.settings import Settings


@dataclass
class PaySite:
    client: TestClient
    gateway: V3HttpGateway
    settings: Settings
    platform_key: rsa.RSAPrivateKey

    def callback(self, plain: dict[str, Any], *, key: rsa.RSAPrivateKey | None = None, at: float | None = None,
                 event_type: str = "TRANSACTION.SUCCESS", associated_data: str = "transaction") -> tuple[dict[str, str], bytes]:
        return wire.callback(key or self.platform_key, SANDBOX_SERIAL, self.settings.pay.apiv3_key,
                             event_type=event_type, summary="支付成功", plain=plain,
                             associated_data=associated_data, original_type=associated_data,
                             now=time.time() if at is None else at)


def transaction(order_no: str, amount_fen: int, openid: str, transaction_id: str = "4200000001") -> dict[str, Any]:
    return {"mchid": "1900000001", "appid": "wx_siyu_demo_appid", "out_trade_no": order_no,
            "transaction_id": transaction_id, "trade_type": "JSAPI", "trade_state": "SUCCESS",
            "trade_state_desc": "支付成功", "success_time": "2026-01-01T10:00:00+08:00",
            "payer": {"openid": openid}, "amount": {"total": amount_fen, "payer_total": amount_fen,
                                                    "currency": "CNY", "payer_currency": "CNY"}}


@contextmanager
def pay_site(db: Database, data_dir: Path) -> Iterator[PaySite]:
    settings = Settings(data_dir=data_dir, public_base_url="http://testserver")
    cfg = sandbox_config(settings, data_dir)
    cfg.retry_after_seconds = 0.05
    cfg.refund_delay_seconds = 0.05
    gateway = sandbox_gateway(settings, data_dir)
    from sandbox.pay import routes as sandbox_routes

    app = Starlette(routes=pay_routes(PayWebConfig(db=db, gateway=gateway, shop_name="思语优选",
                                                   sandbox_confirm_url="/sandbox/pay/confirm"))
                    + sandbox_routes(cfg))
    cfg.callback_transport = httpx.ASGITransport(app=app)
    with TestClient(app) as client:
        gateway._client = client
        yield PaySite(client, gateway, settings, load_or_create_private_key(data_dir / "sandbox" / "pay_platform_key.pem"))
