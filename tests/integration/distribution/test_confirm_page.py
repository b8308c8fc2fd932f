"""The distributor's 确认收款 page for real WeChat Pay transfers (`GET /payout/confirm/{no}?t=…`).

The page is served by the app's own route; the jsapi_ticket comes from the WeChat sandbox's
`/cgi-bin/ticket/getticket` (real JSON shape) through `WeChatAPI`, cached in the real Redis KV.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bot import texts
from bot.wechat_api import WeChatAPI
from commerce.db import Database
from commerce.distribution import payouts
from commerce.distribution.payout_model import PayoutMethod, PayoutState
from sandbox.wechat.platform import Platform
from siyu.container import Container
from siyu.distribution import payout_confirm_routes
from siyu.settings import Settings
from tests.integration.distribution.builders import POLICY, settled_balance

BASE = "https://shop.example.com"
PACKAGE = "ABBQO+oYAAABAAAAAAAk+yPZGrQAAAAOO4S0E7ZsmPZLq="


@dataclass
class Page:
    c: Container
    client: TestClient
    platform: Platform

    def payout(self, db: Database, *, state: PayoutState = PayoutState.PROCESSING) -> str:
        with db.uow() as uow:
            p = payouts.withdraw(uow, "oB", 500, PayoutMethod.WECHAT, POLICY)
            if p.state == PayoutState.REQUESTED:
                payouts.approve_payout(uow, p.payout_no)
            p.transition_to(PayoutState.PROCESSING)
            p.package_info = PACKAGE  # what transfer-bills answered with WAIT_USER_CONFIRM
            if state != PayoutState.PROCESSING:
                p.transition_to(state)
            uow.commit()
            return p.payout_no

    def link(self, no: str) -> str:
        url = self.c.distribution.confirm_url(no)
        assert url.startswith(BASE + f"/payout/confirm/{no}?t=")
        return url


@pytest.fixture
def page(db: Database, kv: Any, tmp_path: Path) -> Iterator[Page]:
    settings = Settings(data_dir=tmp_path, public_base_url=BASE, sandbox={"enabled": False},
                        wechat={"api_base": "http://wx.test/sandbox"},
                        pay={"adapter": "wechatpay", "mchid": "1900000109"})
    c = Container(settings)
    c.__dict__["db"] = db
    c.__dict__["kv"] = kv
    wechat = c.wechat_sandbox.wechat
    wx_http = TestClient(Starlette(routes=wechat.routes()), base_url="http://wx.test")
    c.__dict__["wechat_api"] = WeChatAPI("http://wx.test/sandbox", settings.wechat.app_id,
                                         settings.wechat.app_secret, kv, http=wx_http)
    settled_balance(db, 10_000)  # oB: ¥10.00 withdrawable
    with TestClient(Starlette(routes=payout_confirm_routes(c)), base_url=BASE) as client:
        yield Page(c, client, wechat.platform)


def js_object(html: str, name: str) -> dict[str, Any]:
    match = re.search(rf"\b{name}=(\{{.*?\}})[,;]", html)
    assert match, html
    return dict(json.loads(match.group(1)))


class TestConfirmPage:
    def test_a_waiting_transfer_gets_a_signed_wx_config_and_the_transfer_package(
            self, db: Database, page: Page) -> None:
        no = page.payout(db)
        url = page.link(no)
        r = page.client.get(url)
        assert r.status_code == 200, r.text
        html = r.text
        assert "确认收款" in html and "¥5.00" in html and "https://res.wx.qq.com/open/js/jweixin-1.6.0.js" in html
        cfg, transfer = js_object(html, "C"), js_object(html, "T")
        ticket = page.platform.jsapi_ticket
        assert ticket
        raw = f"jsapi_ticket={ticket}&noncestr={cfg['nonceStr']}&timestamp={cfg['timestamp']}&url={url}"
        assert cfg["signature"] == hashlib.sha1(raw.encode()).hexdigest()
        assert cfg["appId"] == page.c.settings.wechat.app_id and cfg["jsApiList"] == ["requestMerchantTransfer"]
        assert transfer == {"mchId": "1900000109", "appId": page.c.settings.wechat.app_id, "package": PACKAGE}

    def test_the_ticket_is_fetched_once_and_cached(self, db: Database, page: Page) -> None:
        no = page.payout(db)
        for _ in range(3):
            assert page.client.get(page.link(no)).status_code == 200
        assert page.platform.jsapi_tickets_issued == 1
        assert page.c.wechat_api.jsapi_ticket() == page.platform.jsapi_ticket
        assert page.platform.jsapi_tickets_issued == 1

    def test_a_rejected_access_token_is_refreshed_when_the_ticket_is_fetched(self, page: Page) -> None:
        api = page.c.wechat_api
        api.access_token()
        page.platform.expire_tokens()  # the cached token now answers 42001
        assert api.jsapi_ticket() == page.platform.jsapi_ticket
        assert len(page.platform.tokens) == 2 and page.platform.jsapi_tickets_issued == 1  # refreshed once

    def test_a_wrong_or_missing_token_is_refused(self, db: Database, page: Page) -> None:
        no = page.payout(db)
        other = page.payout(db)
        other_token = page.link(other).split("t=")[1]
        assert page.client.get(f"/payout/confirm/{no}?t={other_token}").status_code == 403
        assert page.client.get(f"/payout/confirm/{no}").status_code == 403
        assert page.platform.jsapi_tickets_issued == 0

    def test_a_paid_payout_says_it_arrived_and_a_failed_one_says_so(self, db: Database, page: Page) -> None:
        paid = page.client.get(page.link(page.payout(db, state=PayoutState.PAID)))
        assert paid.status_code == 200 and "已到账" in paid.text and "requestMerchantTransfer" not in paid.text
        failed = page.client.get(page.link(page.payout(db, state=PayoutState.FAILED)))
        assert failed.status_code == 200 and "退回" in failed.text and "wx.config" not in failed.text


def test_the_real_mode_confirmation_text_points_at_the_page() -> None:
    text = texts.confirm_step_text(f"{BASE}/payout/confirm/P1?t=x", sandbox=False)
    assert f"{BASE}/payout/confirm/P1?t=x" in text and "演示环境" not in text
    assert "演示环境" in texts.confirm_step_text("http://t/sandbox/transfer/confirm/P1", sandbox=True)


def test_with_the_transfer_sandbox_the_page_redirects_to_its_confirm_page(db: Database, tmp_path: Path) -> None:
    c = Container(Settings(data_dir=tmp_path, public_base_url=BASE))
    c.__dict__["db"] = db
    token = c.distribution.confirm_token("P1")
    with TestClient(Starlette(routes=payout_confirm_routes(c)), base_url=BASE) as client:
        r = client.get(f"/payout/confirm/P1?t={token}", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == f"{BASE}/sandbox/transfer/confirm/P1"
        assert client.get("/payout/confirm/P1?t=nope", follow_redirects=False).status_code == 403
