"""Referral binding from shared product links (/p/{id}?ref=code) through WeChat web authorisation,
with the siyu wiring, the real product page and the WeChat sandbox's authorise/exchange imitation."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

import sandbox
from bot.kv import MemoryKV
from bot.web.product import product_routes
from bot.web.referral_link import OPENID_COOKIE, LinkOAuth
from bot.wechat_api import WeChatAPI, WeChatAPIError
from commerce.catalog.model import Sku
from commerce.customers.model import Customer
from commerce.db import Database
from commerce.distribution.model import BindingSource, ReferralBinding, ReferralVisit
from commerce.privacy import crypto
from sandbox.wechat import WeChatSandboxConfig
from siyu.container import Container
from siyu.settings import Settings
from tests.integration.distribution.builders import chain
from tests.integration.orders.shop import make_sku

HINT = "sandbox_openid"


@dataclass
class Shop:
    browser: TestClient  # the viewer's browser: product page + sandbox authorise page
    api: WeChatAPI  # our server's WeChat API client (against the same sandbox)
    product_id: int
    code: str  # A's referral code

    def link(self) -> str:
        return f"/p/{self.product_id}?ref={self.code}"

    def open_as(self, openid: str, url: str = "") -> object:
        self.browser.cookies.set(HINT, openid)
        return self.browser.get(url or self.link())


@pytest.fixture
def shop(db: Database, tmp_path: Path) -> Iterator[Shop]:
    settings = Settings(data_dir=tmp_path, public_base_url="http://testserver")
    c = Container(settings)
    c.__dict__["db"] = db
    w = settings.wechat
    box = sandbox.build(WeChatSandboxConfig(app_id=w.app_id, app_secret=w.app_secret, token=w.token))
    with TestClient(Starlette(routes=box.routes())) as api_http:
        api = WeChatAPI("http://testserver/sandbox", w.app_id, w.app_secret, MemoryKV(), http=api_http)
        c.__dict__["wechat_api"] = api
        oauth = c.distribution.link_oauth()
        assert oauth.authorize_base == "http://testserver/sandbox" and not oauth.only_in_wechat
        app = Starlette(routes=product_routes(db, shop_name="测试小店", public_base_url="http://testserver",
                                              link_oauth=oauth) + box.routes())
        (a,) = chain(db, "oA")
        with db.uow() as uow:
            product_id = uow.session.get(Sku, make_sku(db)).product_id  # type: ignore[union-attr]
        with TestClient(app) as browser:
            yield Shop(browser, api, product_id, a.code)


def bindings(db: Database, openid: str) -> list[tuple[str, str, int | None, bool]]:
    """(distributor code, source, product_id, current) of every binding of `openid`."""
    from commerce.distribution.model import Distributor

    with db.uow() as uow:
        rows = uow.session.execute(
            select(Distributor.code, ReferralBinding.source, ReferralBinding.product_id, ReferralBinding.ended_at)
            .join(Distributor, Distributor.id == ReferralBinding.distributor_id)
            .join(Customer, Customer.id == ReferralBinding.customer_id)
            .where(Customer.openid == openid).order_by(ReferralBinding.id)).all()
    return [(code, source, pid, ended is None) for code, source, pid, ended in rows]


def visits(db: Database) -> int:
    with db.uow() as uow:
        return len(uow.session.scalars(select(ReferralVisit)).all())


class TestFirstOpen:
    def test_a_new_user_opening_a_distributors_link_is_bound_to_them_with_source_link(
            self, db: Database, shop: Shop) -> None:
        page = shop.open_as("oB")
        assert page.status_code == 200 and "赣南脐橙" in page.text  # type: ignore[attr-defined]
        hops = [r.headers["location"] for r in page.history]  # type: ignore[attr-defined]
        assert "/sandbox/connect/oauth2/authorize?" in hops[0] and "scope=snsapi_base" in hops[0]
        assert hops[0].endswith("#wechat_redirect")
        assert bindings(db, "oB") == [(shop.code, BindingSource.LINK, shop.product_id, True)]
        cookie = shop.browser.cookies[OPENID_COOKIE]  # the openid, encrypted and authenticated
        sealed = base64.urlsafe_b64decode(cookie + "=" * (-len(cookie) % 4)).decode()
        assert crypto.is_encrypted(sealed) and crypto.decrypt(sealed) == "wx-openid:oB"

    def test_the_second_view_does_not_bounce_and_counts_a_visit(self, db: Database, shop: Shop) -> None:
        shop.open_as("oB")
        before = visits(db)
        again = shop.open_as("oB")
        assert again.history == [] and again.status_code == 200  # type: ignore[attr-defined]
        assert visits(db) == before + 1 and len(bindings(db, "oB")) == 1

    def test_reloading_the_returned_url_shows_the_page_without_a_second_exchange(self, db: Database,
                                                                                   shop: Shop) -> None:
        page = shop.open_as("oB")
        assert "code=" in str(page.url)  # type: ignore[attr-defined]
        before = visits(db)
        again = shop.browser.get(str(page.url))  # type: ignore[attr-defined]
        assert again.status_code == 200 and visits(db) == before

    def test_the_authorise_redirect_carries_the_clean_link_back(self, shop: Shop) -> None:
        first = shop.browser.get(shop.link(), follow_redirects=False)
        assert first.status_code == 302
        q = parse_qs(urlsplit(first.headers["location"]).query)
        assert q["redirect_uri"] == [f"http://testserver{shop.link()}"] and q["response_type"] == ["code"]
        assert q["appid"] == [Settings().wechat.app_id] and q["state"][0]

    def test_an_already_bound_user_is_not_rebound_under_first_touch(self, db: Database, shop: Shop) -> None:
        (r,) = chain(db, "oR")
        shop.open_as("oB", f"/p/{shop.product_id}?ref={r.code}")
        page = shop.open_as("oB")
        assert page.status_code == 200  # type: ignore[attr-defined]
        assert bindings(db, "oB") == [(r.code, BindingSource.LINK, shop.product_id, True)]

    def test_a_distributor_opening_their_own_link_is_not_bound(self, db: Database, shop: Shop) -> None:
        assert shop.open_as("oA").status_code == 200  # type: ignore[attr-defined]
        assert bindings(db, "oA") == []

    def test_switching_simulator_user_authorises_the_new_one(self, db: Database, shop: Shop) -> None:
        shop.open_as("oB")
        shop.open_as("oC")
        assert bindings(db, "oC") == [(shop.code, BindingSource.LINK, shop.product_id, True)]


class TestBadCodes:
    def _state(self, shop: Shop) -> str:
        first = shop.browser.get(shop.link(), follow_redirects=False)
        return parse_qs(urlsplit(first.headers["location"]).query)["state"][0]

    def test_a_forged_code_still_shows_the_page_and_binds_nobody(self, db: Database, shop: Shop) -> None:
        state = self._state(shop)
        page = shop.browser.get(f"{shop.link()}&code=forged&state={state}")
        assert page.status_code == 200 and "赣南脐橙" in page.text
        assert visits(db) == 0 and OPENID_COOKIE not in shop.browser.cookies

    def test_a_used_code_still_shows_the_page_and_binds_nobody(self, db: Database, shop: Shop) -> None:
        state = self._state(shop)
        back = shop.browser.get("/sandbox/connect/oauth2/authorize", params={
            "appid": Settings().wechat.app_id, "redirect_uri": "http://testserver/x", "response_type": "code",
            "scope": "snsapi_base", "state": state, "openid": "oB"}, follow_redirects=False)
        code = parse_qs(urlsplit(back.headers["location"]).query)["code"][0]
        assert shop.api.oauth_openid(code) == "oB"
        with pytest.raises(WeChatAPIError) as used:
            shop.api.oauth_openid(code)
        assert used.value.errcode == 40163
        page = shop.browser.get(f"{shop.link()}&code={code}&state={state}")
        assert page.status_code == 200 and bindings(db, "oB") == []

    def test_a_state_that_is_not_ours_binds_nobody(self, db: Database, shop: Shop) -> None:
        self._state(shop)
        back = shop.browser.get("/sandbox/connect/oauth2/authorize", params={
            "appid": Settings().wechat.app_id, "redirect_uri": "http://testserver/x", "response_type": "code",
            "scope": "snsapi_base", "state": "x", "openid": "oB"}, follow_redirects=False)
        code = parse_qs(urlsplit(back.headers["location"]).query)["code"][0]
        page = shop.browser.get(f"{shop.link()}&code={code}&state=attacker")
        assert page.status_code == 200 and bindings(db, "oB") == []

    def test_an_unknown_referral_code_shows_the_page(self, db: Database, shop: Shop) -> None:
        page = shop.open_as("oB", f"/p/{shop.product_id}?ref=NOSUCH99")
        assert page.status_code == 200 and "赣南脐橙" in page.text  # type: ignore[attr-defined]
        assert bindings(db, "oB") == []

    def test_a_forged_openid_cookie_is_ignored(self, db: Database, shop: Shop) -> None:
        shop.browser.cookies.set(OPENID_COOKIE, "djE6azE6QUFBQQ")  # base64 of v1:k1:AAAA
        page = shop.browser.get(shop.link(), follow_redirects=False)
        assert page.status_code == 302 and bindings(db, "oB") == []

    def test_a_link_without_ref_never_bounces(self, shop: Shop) -> None:
        page = shop.browser.get(f"/p/{shop.product_id}", follow_redirects=False)
        assert page.status_code == 200


class TestRealWeChat:
    """With the real authorise base, only WeChat's own browser is bounced (elsewhere it cannot work)."""

    @pytest.fixture
    def client(self, db: Database) -> TestClient:
        oauth = LinkOAuth("https://open.weixin.qq.com", "wxAPP", "https://shop.example.com",
                          exchange=lambda code: "never", bind=lambda *a: None)
        with db.uow() as uow:
            self.product_id = uow.session.get(Sku, make_sku(db)).product_id  # type: ignore[union-attr]
        return TestClient(Starlette(routes=product_routes(db, shop_name="店", public_base_url="https://shop.example.com",
                                                          link_oauth=oauth)))

    def test_an_ordinary_browser_just_sees_the_page(self, client: TestClient) -> None:
        assert client.get(f"/p/{self.product_id}?ref=ABCD1234", follow_redirects=False).status_code == 200

    def test_the_wechat_browser_goes_to_open_weixin(self, client: TestClient) -> None:
        got = client.get(f"/p/{self.product_id}?ref=ABCD1234", follow_redirects=False,
                         headers={"user-agent": "Mozilla/5.0 MicroMessenger/8.0.47"})
        location = got.headers["location"]
        assert got.status_code == 302 and location.startswith("https://open.weixin.qq.com/connect/oauth2/authorize?")
        q = parse_qs(urlsplit(location).query)
        assert q["redirect_uri"] == [f"https://shop.example.com/p/{self.product_id}?ref=ABCD1234"]
        assert q["appid"] == ["wxAPP"] and q["scope"] == ["snsapi_base"]
