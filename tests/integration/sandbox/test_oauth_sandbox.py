"""The sandbox's WeChat web authorisation (snsapi_base): authorise page, one-time 5-minute codes,
and our `WeChatAPI.oauth_openid` against it."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from bot.wechat_api import WeChatAPIError
from tests.integration.sandbox.platform_fixture import APP_ID, World

AUTHORIZE = "/sandbox/connect/oauth2/authorize"


def _params(**extra: str) -> dict[str, str]:
    return {"appid": APP_ID, "redirect_uri": "https://shop.example.com/p/7?ref=AB12CD", "response_type": "code",
            "scope": "snsapi_base", "state": "s1", **extra}


def _code(world: World, openid: str = "oB") -> str:
    got = world.http.get(AUTHORIZE, params=_params(openid=openid), follow_redirects=False)
    assert got.status_code == 302
    q = parse_qs(urlsplit(got.headers["location"]).query)
    assert q["state"] == ["s1"] and q["ref"] == ["AB12CD"]
    return q["code"][0]


def test_a_code_is_exchanged_for_the_openid_once(world: World) -> None:
    code = _code(world)
    assert world.api().oauth_openid(code) == "oB"
    with pytest.raises(WeChatAPIError) as used:
        world.api().oauth_openid(code)
    assert used.value.errcode == 40163


def test_an_unknown_or_expired_code_is_40029(world: World) -> None:
    with pytest.raises(WeChatAPIError) as forged:
        world.api().oauth_openid("forged")
    assert forged.value.errcode == 40029
    code = _code(world)
    world.clock.advance(301)
    with pytest.raises(WeChatAPIError) as expired:
        world.api().oauth_openid(code)
    assert expired.value.errcode == 40029


def test_the_simulator_cookie_names_the_user(world: World) -> None:
    world.http.cookies.set("sandbox_openid", "sim_abc")
    got = world.http.get(AUTHORIZE, params=_params(), follow_redirects=False)
    code = parse_qs(urlsplit(got.headers["location"]).query)["code"][0]
    assert world.api().oauth_openid(code) == "sim_abc"


def test_without_a_user_a_page_offers_the_sandbox_users(world: World) -> None:
    world.user_writes("sim_one")
    page = world.http.get(AUTHORIZE, params=_params())
    assert page.status_code == 200 and "以 sim_one 身份打开" in page.text


@pytest.mark.parametrize(("bad", "says"), [
    ({"appid": "wx_other"}, "appid"), ({"scope": "snsapi_login"}, "scope"), ({"redirect_uri": "javascript:x"},
                                                                               "redirect_uri"),
])
def test_bad_authorise_requests_get_an_error_page(world: World, bad: dict[str, str], says: str) -> None:
    page = world.http.get(AUTHORIZE, params={**_params(openid="oB"), **bad}, follow_redirects=False)
    assert page.status_code == 400 and says in page.text


def test_the_exchange_checks_the_secret(world: World) -> None:
    got = world.http.get("/sandbox/sns/oauth2/access_token", params={
        "appid": APP_ID, "secret": "wrong", "code": _code(world), "grant_type": "authorization_code"}).json()
    assert got["errcode"] == 40125
