"""A new customer shops end to end by typing Chinese: subscribe → browse → search → detail → cart →
checkout with consent and address → pay link; then cancels the unpaid order."""

from __future__ import annotations

from bot.dialogue import Waiting
from bot.messages import NewsReply, TextReply
from commerce.orders import services as orders
from tests.integration.dialogue.conftest import BASE_URL, Chat


def text_of(reply: object) -> str:
    assert isinstance(reply, TextReply), reply
    return reply.content


class TestShoppingJourney:
    def test_a_new_customer_buys_two_oranges_and_then_cancels_the_unpaid_order(self, chat: Chat) -> None:
        welcome = text_of(chat.subscribe())
        assert "测试小店" in welcome and "同意" in welcome

        food = text_of(chat.say("有什么好吃的"))
        assert "赣南脐橙" in food and "西湖龙井" in food and "纯棉T恤" not in food

        found = text_of(chat.say("搜索脐橙"))
        assert found.splitlines()[1].startswith("1. 赣南脐橙")

        card = chat.say("第一个详细说说")
        assert isinstance(card, NewsReply)
        assert card.url == f"{BASE_URL}/p/{chat.state.focus}"
        assert card.picurl == f"{BASE_URL}/media/products/orange.jpg"
        assert "¥39.90" in card.description and "会员价：¥35.90" in card.description
        assert "5斤装" in card.description and "果园直发" in card.description

        ask = text_of(chat.say("来两件"))
        assert "5斤装" in ask and "10斤装" in ask and chat.state.waiting(Waiting.SPEC)

        added = text_of(chat.say("5斤装"))
        assert "赣南脐橙 5斤装×2" in added and "¥79.80" in added

        consent = text_of(chat.say("结算"))
        assert "个人信息" in consent and chat.state.waiting(Waiting.CONSENT)
        assert "请发送收货人姓名" in text_of(chat.say("同意"))
        assert "手机号" in text_of(chat.say("张三"))
        assert "地址" in text_of(chat.say("138 1234 5678"))
        summary = text_of(chat.say("浙江省杭州市西湖区文三路100号"))
        assert "应付" in summary and "¥79.80" in summary and "138****5678" in summary
        assert chat.state.waiting(Waiting.ORDER_OK)

        pay = chat.say("确认")
        assert isinstance(pay, NewsReply)
        order_no = chat.state.orders[0]
        assert pay.url == f"{BASE_URL}/pay/{order_no}" and order_no in pay.title

        ask_cancel = text_of(chat.say(f"取消订单{order_no}"))
        assert order_no in ask_cancel and chat.state.waiting(Waiting.CANCEL_OK)
        assert "已取消" in text_of(chat.say("确认"))
        with chat.dialogue.ctx.uow() as uow:
            assert orders.get_order(uow, order_no).status == "cancelled"

    def test_the_saved_address_is_reused_masked_at_the_next_checkout(self, chat: Chat) -> None:
        chat.say("烟台苹果")
        chat.say("来一件第1个")
        chat.say("结算")
        chat.say("同意")
        chat.say("李四 13900001111 广东省深圳市南山区科技园路1号")
        assert isinstance(chat.say("确认"), NewsReply)

        chat.say("烟台苹果")
        chat.say("来一件第1个")
        again = text_of(chat.say("结算"))
        assert "李*" in again and "139****1111" in again and "广东省" in again
        assert "科技园路1号" not in again
        assert chat.state.waiting(Waiting.ORDER_OK)

    def test_the_same_menu_journey_works_without_typing_commands(self, chat: Chat) -> None:
        cats = text_of(chat.click("MENU_CATEGORIES"))
        assert "1. 食品" in cats
        fruit = text_of(chat.say("1"))
        assert "赣南脐橙" in fruit
        assert isinstance(chat.say("2"), NewsReply)
        chat.say("来一件")
        cart = text_of(chat.click("MENU_CART"))
        assert "合计" in cart
        assert "猜你喜欢" in text_of(chat.click("MENU_RECOMMEND"))
        assert "订单" in text_of(chat.click("MENU_ORDERS"))
