"""Bad input gets a clear Chinese reply and nothing is lost."""

from __future__ import annotations

import logging

import pytest

from bot import texts
from bot.dialogue import Waiting
from bot.dialogue.router import Router, router
from bot.messages import EmptyReply, Inbound, TextReply, TransferReply
from commerce.cart import services as cart
from commerce.customers import services as customers
from commerce.orders import services as orders
from nlu.types import Parse
from tests.integration.dialogue.conftest import Chat


def text_of(reply: object) -> str:
    assert isinstance(reply, TextReply), reply
    return reply.content


def start_address_form(chat: Chat) -> None:
    chat.say("苹果")
    chat.say("来一件第1个")
    chat.say("结算")
    chat.say("同意")


class TestAddressForm:
    def test_a_bad_phone_is_asked_again_and_the_name_kept(self, chat: Chat) -> None:
        start_address_form(chat)
        chat.say("王五")
        assert "格式不对" in text_of(chat.say("1234"))
        assert chat.state.waiting(Waiting.PHONE) and chat.state.form["name"] == "王五"

    def test_an_address_without_a_province_is_asked_again(self, chat: Chat) -> None:
        start_address_form(chat)
        chat.say("王五")
        chat.say("13800001111")
        assert "省份" in text_of(chat.say("幸福小区3栋2单元501室"))
        assert chat.state.waiting(Waiting.ADDRESS)

    def test_a_too_short_address_is_asked_again(self, chat: Chat) -> None:
        start_address_form(chat)
        chat.say("王五")
        chat.say("13800001111")
        assert "太短" in text_of(chat.say("杭州"))

    def test_a_name_with_digits_is_refused(self, chat: Chat) -> None:
        start_address_form(chat)
        assert "姓名" in text_of(chat.say("王5"))

    def test_cancel_leaves_the_form_and_keeps_the_cart(self, chat: Chat) -> None:
        start_address_form(chat)
        chat.say("王五")
        assert "已取消" in text_of(chat.say("取消"))
        assert chat.state.pending is None and chat.state.form == {}
        with chat.dialogue.ctx.uow() as uow:
            assert cart.view_cart(uow, chat.openid).count == 1

    def test_a_command_in_the_middle_of_the_form_is_answered(self, chat: Chat) -> None:
        start_address_form(chat)
        assert "合计" in text_of(chat.say("购物车"))

    def test_refusing_consent_collects_nothing(self, chat: Chat) -> None:
        chat.say("苹果")
        chat.say("来一件第1个")
        chat.say("结算")
        assert "不收集" in text_of(chat.say("不同意"))
        with chat.dialogue.ctx.uow() as uow:
            assert customers.get_or_create(uow, chat.openid).consent_personal_data_at is None

    def test_confirming_twice_places_one_order(self, chat: Chat) -> None:
        start_address_form(chat)
        chat.say("赵六 13700001111 江苏省南京市玄武区中山路1号")
        chat.say("确认")
        chat.say("确认")
        with chat.dialogue.ctx.uow() as uow:
            assert len(orders.list_orders(uow, chat.openid)) == 1


class TestOrders:
    def test_someone_elses_order_number_is_not_found(self, chat: Chat) -> None:
        start_address_form(chat)
        chat.say("赵六 13700001111 江苏省南京市玄武区中山路1号")
        chat.say("确认")
        order_no = chat.state.orders[0]
        stranger = chat.as_user("o-stranger")
        assert "没有找到对应的订单" in text_of(stranger.say(f"查订单 {order_no}"))
        assert "没有找到对应的订单" in text_of(stranger.say(f"取消订单 {order_no}"))

    def test_an_unknown_order_number_is_not_found(self, chat: Chat) -> None:
        assert "没有找到" in text_of(chat.say("查订单 SY20990101999999"))

    def test_cancelling_with_nothing_unpaid_says_so(self, chat: Chat) -> None:
        assert "没有可以取消" in text_of(chat.say("取消订单"))

    def test_no_orders_yet(self, chat: Chat) -> None:
        assert "还没有订单" in text_of(chat.say("我的订单"))


class TestUnclearAndOtherMessages:
    def test_gibberish_gets_a_clarifying_question_with_suggestions(self, chat: Chat) -> None:
        reply = text_of(chat.say("嗯那个啥"))
        assert "1." in reply and "2." in reply and chat.state.waiting(Waiting.CLARIFY)

    def test_a_suggestion_is_picked_by_number(self, chat: Chat) -> None:
        chat.say("嗯那个啥")
        options = chat.state.pending.data["options"]  # type: ignore[union-attr]
        reply = chat.say(str(options.index("recommend") + 1))
        assert "猜你喜欢" in text_of(reply)

    def test_a_product_name_with_a_typo_is_searched(self, chat: Chat) -> None:
        assert "赣南脐橙" in text_of(chat.say("脐澄"))

    def test_traditional_characters_work(self, chat: Chat) -> None:
        assert text_of(chat.say("購物車")) == texts.CART_EMPTY

    def test_human_agent_transfers(self, chat: Chat) -> None:
        assert isinstance(chat.say("转人工"), TransferReply)
        assert isinstance(chat.click("MENU_HUMAN"), TransferReply)

    @pytest.mark.parametrize("kind", ["image", "voice", "video", "shortvideo", "location", "link", "unknown"])
    def test_non_text_messages_get_a_helpful_reply(self, chat: Chat, kind: str) -> None:
        reply = text_of(chat.send(Inbound(openid=chat.openid, kind=kind)))
        assert reply == texts.MESSAGE_KIND_REPLIES.get(kind, texts.UNKNOWN_KIND)

    def test_voice_with_recognition_reads_like_text(self, chat: Chat) -> None:
        assert text_of(chat.send(Inbound(openid=chat.openid, kind="voice", text="购物车"))) == texts.CART_EMPTY

    def test_empty_and_whitespace_text_get_a_reply(self, chat: Chat) -> None:
        assert text_of(chat.say("")) and text_of(chat.say("   \n"))

    def test_unsubscribe_and_view_events_answer_nothing(self, chat: Chat) -> None:
        assert isinstance(chat.send(Inbound(openid=chat.openid, kind="event", event="unsubscribe")), EmptyReply)
        assert isinstance(chat.send(Inbound(openid=chat.openid, kind="event", event="view")), EmptyReply)

    def test_a_feature_not_built_yet_is_announced_politely(self, chat: Chat) -> None:
        interpreter = chat.dialogue.ctx.interpreter
        interpreter.canned["我要抽奖"] = Parse("我要抽奖", "lucky_draw", 0.99)  # type: ignore[attr-defined]
        assert "马上就来" in text_of(chat.say("我要抽奖"))


class TestFailures:
    def test_a_handler_that_raises_gets_an_apology_and_a_logged_traceback(
        self, chat: Chat, caplog: pytest.LogCaptureFixture
    ) -> None:
        broken = Router()

        @broken.keyword("boom")
        def explode(state: object, msg: object) -> object:
            raise RuntimeError("kaboom")

        chat.dialogue.routes = broken
        with caplog.at_level(logging.ERROR, logger="bot.dialogue"):
            reply = chat.send(Inbound(openid=chat.openid, kind="text", text="boom", request_id="rid-42"))
        assert "系统有点忙" in text_of(reply)
        assert any("rid-42" in r.getMessage() and r.exc_info for r in caplog.records)
        chat.dialogue.routes = router

    def test_a_domain_error_becomes_its_chinese_text(self, chat: Chat) -> None:
        chat.say("面霜")
        chat.say("1")
        assert "库存不足" in text_of(chat.say("来十件"))

    def test_a_corrupt_state_entry_starts_fresh(self, chat: Chat) -> None:
        chat.dialogue.store._kv.set("dlg:" + chat.openid, "{not json")
        assert text_of(chat.say("你好"))

    def test_a_broken_cache_still_gets_a_reply(self, chat: Chat) -> None:
        class DownKV:
            def get(self, key: str) -> str | None:
                raise ConnectionError("redis down")

            def set(self, key: str, value: str, ttl: float | None = None) -> None:
                raise ConnectionError("redis down")

        chat.dialogue.store._kv = DownKV()  # type: ignore[assignment]
        assert "测试小店" in text_of(chat.say("你好"))
