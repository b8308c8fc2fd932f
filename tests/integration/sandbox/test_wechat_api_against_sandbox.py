from __future__ import annotations

import httpx
import pytest
import zxingcpp
from PIL import Image

from bot.kv import MemoryKV
from bot.wechat_api import OutsideWindow, QuotaExceeded, TransientAPIError, WeChatAPI, WeChatAPIError
from tests.integration.sandbox.platform_fixture import APP_ID, World

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


class TestAccessToken:
    def test_token_is_fetched_once_and_shared_through_the_kv(self, world: World) -> None:
        world.user_writes("o1")
        api, other_process = world.api(), world.api()
        api.send_text("o1", "a")
        other_process.send_text("o1", "b")
        assert len(world.wechat.platform.tokens) == 1

    def test_expired_token_is_refreshed_once_and_the_call_retried(self, world: World) -> None:
        world.user_writes("o1")
        api = world.api()
        api.send_text("o1", "before")
        world.wechat.platform.expire_tokens()  # the cached token now answers 42001
        api.send_text("o1", "after")
        assert [m["content"] for m in world.outbox("o1")] == ["before", "after"]

    def test_token_revoked_by_a_forced_refresh_elsewhere_is_replaced(self, world: World) -> None:
        world.user_writes("o1")
        api = world.api()
        api.send_text("o1", "before")
        world.wechat.platform.issue_token(stable=True, force=True)  # another server forced a refresh → 40001
        api.send_text("o1", "after")
        assert len(world.outbox("o1")) == 2

    def test_token_is_refreshed_early_before_it_expires(self, world: World) -> None:
        api = world.api(refresh_margin_seconds=300)
        first = api.access_token()
        world.clock.advance(7200 - 200)  # inside the margin: refresh now, not at expiry
        world.wechat.platform.issue_token(stable=True, force=True)
        assert api.access_token() != first

    def test_wrong_secret_is_an_api_error(self, world: World) -> None:
        api = WeChatAPI("http://testserver/sandbox", APP_ID, "wrong", MemoryKV(), http=world.http)
        with pytest.raises(WeChatAPIError) as err:
            api.send_text("o1", "x")
        assert err.value.errcode == 40125

    def test_plain_token_endpoint_revokes_the_previous_token(self, world: World) -> None:
        p = world.wechat.platform
        first, _ = p.issue_token(stable=False)
        p.issue_token(stable=False)
        assert p.token_error(first) == 40001


class TestCustomerServiceQuota:
    def test_five_messages_per_window_then_45047(self, world: World) -> None:
        world.user_writes("o1")
        api = world.api()
        for i in range(5):
            api.send_text("o1", f"m{i}")
        with pytest.raises(QuotaExceeded) as err:
            api.send_text("o1", "m5")
        assert err.value.errcode == 45047

    def test_a_new_user_message_reopens_the_quota(self, world: World) -> None:
        world.user_writes("o1")
        api = world.api()
        for i in range(5):
            api.send_text("o1", f"m{i}")
        world.user_writes("o1")
        api.send_text("o1", "again")

    def test_after_48_hours_it_is_45015(self, world: World) -> None:
        world.user_writes("o1")
        world.clock.advance(48 * 3600 + 1)
        with pytest.raises(OutsideWindow):
            world.api().send_text("o1", "late")

    def test_unknown_user_is_outside_the_window(self, world: World) -> None:
        with pytest.raises(OutsideWindow):
            world.api().send_text("never-wrote", "x")

    def test_menu_click_grants_three_in_a_minute_only(self, world: World) -> None:
        world.user_clicks("o1")
        api = world.api()
        for i in range(3):
            api.send_text("o1", f"m{i}")
        with pytest.raises(QuotaExceeded):
            api.send_text("o1", "m3")
        world.clock.advance(61)
        with pytest.raises(OutsideWindow):
            api.send_text("o1", "m4")

    def test_payment_grants_unlimited_messages_for_48_hours(self, world: World) -> None:
        world.user_writes("o1")
        r = world.http.post("/sandbox/users/o1/paid")
        assert r.json() == {"ok": True}
        api = world.api()
        for i in range(12):
            api.send_text("o1", f"m{i}")
        assert len(world.outbox("o1")) == 12


class TestMessagesAndMedia:
    def test_news_has_one_article_and_is_recorded(self, world: World) -> None:
        world.user_writes("o1")
        world.api().send_news("o1", "订单待支付", "¥59.80", "http://x/pay/SY1", "http://x/p.jpg")
        [entry] = world.outbox("o1")
        assert entry["msgtype"] == "news"
        assert entry["articles"] == [{"title": "订单待支付", "description": "¥59.80", "url": "http://x/pay/SY1",
                                      "picurl": "http://x/p.jpg"}]

    def test_two_articles_are_refused_with_45008(self, world: World) -> None:
        world.user_writes("o1")
        article = {"title": "t", "description": "d", "url": "u", "picurl": ""}
        with pytest.raises(WeChatAPIError) as err:
            world.api().call("POST", "message/custom/send",
                             {"touser": "o1", "msgtype": "news", "news": {"articles": [article, article]}})
        assert err.value.errcode == 45008

    def test_uploaded_image_is_sent_and_served_from_the_outbox_url(self, world: World) -> None:
        world.user_writes("o1")
        api = world.api()
        media_id = api.upload_media("image", PNG_1PX, "poster.png")
        api.send_image("o1", media_id)
        [entry] = world.outbox("o1")
        assert (entry["msgtype"], entry["media_id"]) == ("image", media_id)
        got = world.http.get(str(entry["url"]))
        assert (got.status_code, got.content, got.headers["content-type"]) == (200, PNG_1PX, "image/png")

    def test_media_expires_after_three_days(self, world: World) -> None:
        world.user_writes("o1")
        api = world.api()
        media_id = api.upload_media("image", PNG_1PX, "poster.png")
        world.clock.advance(3 * 24 * 3600 + 1)
        world.user_writes("o1")
        with pytest.raises(WeChatAPIError) as err:
            api.send_image("o1", media_id)
        assert err.value.errcode == 40007
        assert world.http.get(f"/sandbox/media/{media_id}").status_code == 404

    def test_video_message_is_recorded(self, world: World) -> None:
        world.user_writes("o1")
        api = world.api()
        media_id = api.upload_media("video", b"\x00\x00\x00\x18ftypmp42", "v.mp4")
        api.send_video("o1", media_id, "开箱", "看看")
        assert world.outbox("o1")[0]["title"] == "开箱"

    def test_outbox_needs_an_openid(self, world: World) -> None:
        assert world.http.get("/sandbox/outbox").status_code == 400


class TestQrCodes:
    def test_qr_image_encodes_the_url_that_resolves_to_the_scene(self, world: World) -> None:
        api = world.api()
        qr = api.create_qrcode("ref_42", expire_seconds=3600)
        assert qr.url.startswith("http://weixin.qq.com/q/") and qr.expire_seconds == 3600
        png = world.http.get(api.qrcode_image_url(qr.ticket))
        assert png.headers["content-type"] == "image/png"
        import io

        [decoded] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))
        assert decoded.text == qr.url
        assert world.http.get("/sandbox/qrcode/resolve", params={"url": qr.url}).json()["scene_str"] == "ref_42"

    def test_expired_qr_code_no_longer_resolves(self, world: World) -> None:
        qr = world.api().create_qrcode("ref_1", expire_seconds=60)
        world.clock.advance(61)
        assert world.http.get("/sandbox/qrcode/resolve", params={"url": qr.url}).status_code == 404

    def test_permanent_qr_code_has_no_expiry(self, world: World) -> None:
        qr = world.api().create_permanent_qrcode("shop")
        assert qr.expire_seconds is None
        world.clock.advance(10**8)
        assert world.http.get("/sandbox/qrcode/resolve", params={"url": qr.url}).status_code == 200

    def test_scene_str_longer_than_64_is_refused(self, world: World) -> None:
        with pytest.raises(WeChatAPIError) as err:
            world.api().create_qrcode("x" * 65)
        assert err.value.errcode == 40053


class TestMenuTemplatesUsers:
    def test_pushed_menu_is_what_the_simulator_shows(self, world: World) -> None:
        menu = {"button": [{"type": "click", "name": "购物车", "key": "MENU_CART"}]}
        world.api().create_menu(menu)
        assert world.http.get("/sandbox/menu").json() == menu

    def test_menu_with_four_top_buttons_is_refused(self, world: World) -> None:
        with pytest.raises(WeChatAPIError) as err:
            world.api().create_menu({"button": [{"type": "click", "name": "a", "key": "k"}] * 4})
        assert err.value.errcode == 40016

    def test_template_message_needs_a_follower(self, world: World) -> None:
        api = world.api()
        with pytest.raises(WeChatAPIError) as err:
            api.send_template("stranger", "TPL", {"thing1": {"value": "x"}})
        assert err.value.errcode == 43004
        world.user_writes("o1")
        assert api.send_template("o1", "TPL", {"thing1": {"value": "已支付"}}, url="http://x") > 0
        assert world.outbox("o1")[0]["msgtype"] == "template"

    def test_user_info_reports_subscription(self, world: World) -> None:
        world.user_writes("o1")
        assert world.api().user_info("o1")["subscribe"] == 1
        assert world.api().user_info("o2")["subscribe"] == 0


class TestTransientErrors:
    @pytest.mark.parametrize("answer", [
        httpx.Response(502, text="bad gateway"),
        httpx.Response(200, json={"errcode": -1, "errmsg": "system busy"}),
    ])
    def test_server_trouble_is_transient(self, answer: httpx.Response) -> None:
        def handler(request: httpx.Request) -> httpx.Response:
            if request.url.path.endswith("stable_token"):
                return httpx.Response(200, json={"access_token": "T", "expires_in": 7200})
            return answer

        api = WeChatAPI("http://wx.test", "a", "s", MemoryKV(), http=httpx.Client(transport=httpx.MockTransport(handler)))
        with pytest.raises(TransientAPIError):
            api.send_text("o1", "x")

    def test_network_failure_is_transient(self) -> None:
        def handler(request: httpx.Request) -> httpx.Response:
            raise httpx.ConnectError("refused", request=request)

        api = WeChatAPI("http://wx.test", "a", "s", MemoryKV(), http=httpx.Client(transport=httpx.MockTransport(handler)))
        with pytest.raises(TransientAPIError):
            api.send_text("o1", "x")

    def test_real_api_base_uses_the_mp_qrcode_host(self) -> None:
        api = WeChatAPI("https://api.weixin.qq.com", "a", "s", MemoryKV())
        assert api.qrcode_image_url("t+1").startswith("https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=t%2B1")
