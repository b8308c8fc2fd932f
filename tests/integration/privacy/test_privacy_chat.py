"""「我的信息」「删除我的信息」「撤回同意」 through `Dialogue.respond`, as the privacy notice promises."""

from __future__ import annotations

from sqlalchemy import text

from bot.dialogue import Waiting
from commerce.customers import services as customers
from commerce.db import Database
from tests.integration.aftersale.chat import chat_with, text_of
from tests.integration.logistics.parcels import delivered_order


def _address_rows(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM addresses")).scalar_one())


class TestMyData:
    def test_my_data_is_shown_masked(self, db: Database) -> None:
        delivered_order(db)
        with chat_with(db) as chat:
            reply = text_of(chat.say("我的信息"))
        assert "138****8000" in reply and "张**" in reply and "订单 1 笔" in reply and "删除我的信息" in reply
        assert "13800138000" not in reply and "科技园路1号" not in reply

    def test_a_stranger_hears_that_nothing_is_stored(self, db: Database) -> None:
        with chat_with(db, openid="o-new") as chat:
            assert "没有保存你的个人信息" in text_of(chat.say("我的信息"))


class TestErase:
    def test_erasing_takes_two_steps_and_removes_the_address(self, db: Database) -> None:
        delivered_order(db)
        with chat_with(db) as chat:
            ask = text_of(chat.say("删除我的信息"))
            assert "确认删除" in ask and chat.state.waiting(Waiting.ERASE_OK)
            assert _address_rows(db) == 1
            done = text_of(chat.say("确认删除"))
            assert "已删除" in done and "订单收货信息 1 笔" in done
            assert "没有保存" in text_of(chat.say("我的信息")) or "138****8000" not in text_of(chat.say("我的信息"))
        assert _address_rows(db) == 0

    def test_a_plain_yes_is_not_enough_to_erase(self, db: Database) -> None:
        delivered_order(db)
        with chat_with(db) as chat:
            chat.say("删除我的信息")
            assert "请回复「确认删除」" in text_of(chat.say("确认"))
            assert chat.state.waiting(Waiting.ERASE_OK)
            assert "保持不变" in text_of(chat.say("取消"))
        assert _address_rows(db) == 1

    def test_withdrawing_consent_erases_and_the_next_order_asks_again(self, db: Database) -> None:
        delivered_order(db)
        with chat_with(db) as chat:
            assert "撤回同意" in text_of(chat.say("撤回同意"))
            assert "重新征求你的同意" in text_of(chat.say("确认删除"))
        with db.uow() as uow:
            assert customers.by_openid(uow, "o-buyer").consent_personal_data_at is None
        assert _address_rows(db) == 0


class TestOtherWords:
    def test_other_wordings_reach_the_same_commands(self, db: Database) -> None:
        delivered_order(db)
        with chat_with(db) as chat:
            assert "138****8000" in text_of(chat.say("查看一下我的个人信息"))
            assert "确认删除" in text_of(chat.say("帮我把我的个人信息删掉"))
            assert chat.state.waiting(Waiting.ERASE_OK)
