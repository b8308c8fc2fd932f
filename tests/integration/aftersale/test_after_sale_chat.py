"""「我要退款」 and friends through `Dialogue.respond`, with real services and the pay sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.dialogue import Waiting
from commerce import clock, events
from commerce.aftersale import outcomes
from commerce.aftersale import services as aftersale
from commerce.aftersale.states import AfterSaleStatus
from commerce.db import Database
from commerce.orders import services as orders
from tests.integration.aftersale.chat import chat_with, text_of
from tests.integration.aftersale.flows import sandbox_paid_order, wait_for
from tests.integration.logistics.parcels import status_of
from tests.integration.orders.shop import stock_of
from tests.integration.payments.paysite import PaySite, pay_site


@pytest.fixture
def site(db: Database, tmp_path: Path) -> Iterator[PaySite]:
    outcomes.register()
    with pay_site(db, tmp_path) as s:
        yield s
    events.clear()


def _deliver(db: Database, order_no: str) -> None:
    with db.uow() as uow:
        orders.ship_order(uow, order_no, carrier="yuantong", tracking_no="YT1", actor="merchant")
        orders.mark_delivered(uow, order_no)
        uow.commit()


def _requests(db: Database) -> list[aftersale.AfterSaleView]:
    with db.uow() as uow:
        return aftersale.list_requests(uow, openid="o-buyer")


class TestRefundBeforeShipping:
    def test_i_want_a_refund_asks_then_refunds_the_order_and_puts_the_stock_back(
        self, db: Database, site: PaySite
    ) -> None:
        order_no = sandbox_paid_order(db, site)
        with db.uow() as uow:
            sku = orders.get_order(uow, order_no).lines[0].sku_id
        with chat_with(db, gateway=site.gateway) as chat:
            ask = text_of(chat.say("我要退款"))
            assert order_no in ask and "¥58.00" in ask and "确认" in ask and chat.state.waiting(Waiting.REFUND_OK)
            done = text_of(chat.say("确认"))
        assert "已为你申请退款 ¥58.00" in done
        assert wait_for(lambda: status_of(db, order_no) == "refunded")
        assert wait_for(lambda: _requests(db)[0].status is AfterSaleStatus.REFUNDED)
        assert stock_of(db, sku) == 10

    def test_saying_no_keeps_the_order(self, db: Database, site: PaySite) -> None:
        order_no = sandbox_paid_order(db, site)
        with chat_with(db, gateway=site.gateway) as chat:
            chat.say("不想要了")
            assert "保留" in text_of(chat.say("不了"))
        assert status_of(db, order_no) == "paid" and _requests(db) == []

    def test_the_first_product_alone_is_refunded(self, db: Database, site: PaySite) -> None:
        order_no = sandbox_paid_order(db, site, items=(("龙井", 5000, 1), ("白茶", 3000, 1)))
        with chat_with(db, gateway=site.gateway) as chat:
            ask = text_of(chat.say("第二个商品退款"))
            assert "「白茶」" in ask and "¥30.00" in ask
            chat.say("确认")
        req = _requests(db)[0]
        assert not req.whole_order and req.amount_fen == 3000 and req.order_no == order_no

    def test_a_product_number_the_order_does_not_have_is_explained(self, db: Database, site: PaySite) -> None:
        sandbox_paid_order(db, site)
        with chat_with(db, gateway=site.gateway) as chat:
            assert "只有 1 件商品" in text_of(chat.say("第三个商品退款"))
        assert _requests(db) == []

    def test_with_several_orders_the_bot_asks_which_and_second_picks_it(self, db: Database, site: PaySite) -> None:
        first = sandbox_paid_order(db, site)
        second = sandbox_paid_order(db, site, items=(("白茶", 3000, 1),))
        with chat_with(db, gateway=site.gateway) as chat:
            listing = text_of(chat.say("申请退款"))
            assert first in listing and second in listing and chat.state.waiting(Waiting.REFUND_PICK)
            ask = text_of(chat.say("第二个"))
            assert first in ask and chat.state.waiting(Waiting.REFUND_OK)  # newest first: the second is the older

    def test_asking_again_points_at_the_open_request(self, db: Database, site: PaySite) -> None:
        order_no = sandbox_paid_order(db, site)
        _deliver(db, order_no)
        with chat_with(db, gateway=site.gateway) as chat:
            chat.say("申请退货")
            chat.say("确认")
            again = text_of(chat.say("申请退货"))
        assert "已有售后申请" in again and "待商家审核" in again and len(_requests(db)) == 1


class TestReturnAfterDelivery:
    def test_a_return_within_seven_days_goes_to_the_merchant(self, db: Database, site: PaySite) -> None:
        order_no = sandbox_paid_order(db, site)
        _deliver(db, order_no)
        with chat_with(db, gateway=site.gateway) as chat:
            ask = text_of(chat.say("申请退货"))
            assert "7天无理由" in ask and "运费由你承担" in ask
            done = text_of(chat.say("确认"))
        assert "退货申请已提交" in done and "商家审核" in done
        assert _requests(db)[0].status is AfterSaleStatus.REQUESTED and status_of(db, order_no) == "delivered"

    def test_after_seven_days_the_bot_explains_and_offers_a_human(self, db: Database, site: PaySite) -> None:
        order_no = sandbox_paid_order(db, site)
        _deliver(db, order_no)
        clock.advance(days=7, minutes=1)
        with chat_with(db, gateway=site.gateway) as chat:
            reply = text_of(chat.say("申请退货"))
        assert "超过7天" in reply and "转人工" in reply and _requests(db) == []

    def test_fresh_fruit_is_explained_as_not_returnable(self, db: Database, site: PaySite) -> None:
        order_no = sandbox_paid_order(db, site, items=(("脐橙", 3990, 1),), returnable=False)
        _deliver(db, order_no)
        with chat_with(db, gateway=site.gateway) as chat:
            reply = text_of(chat.say("我要退货"))
        assert "「脐橙」" in reply and "鲜活易腐" in reply and "转人工" in reply


class TestNothingToRefund:
    def test_without_orders_the_bot_says_so(self, db: Database, site: PaySite) -> None:
        with chat_with(db, gateway=site.gateway) as chat:
            assert "没有可以申请售后的订单" in text_of(chat.say("我要退款"))

    def test_an_unpaid_order_named_by_number_is_to_be_cancelled_not_refunded(self, db: Database, site: PaySite) -> None:
        from tests.integration.orders.shop import make_shopper, make_sku

        sku, buyer = make_sku(db), make_shopper(db)
        with db.uow() as uow:
            order = orders.place_order(uow, buyer.openid, address_id=buyer.address_id, items=[(sku, 1)])
            uow.commit()
        with chat_with(db, gateway=site.gateway) as chat:
            assert "取消订单" in text_of(chat.say(f"{order.order_no} 我要退款"))

    def test_someone_elses_order_is_not_found(self, db: Database, site: PaySite) -> None:
        order_no = sandbox_paid_order(db, site, openid="o-other")
        with chat_with(db, gateway=site.gateway) as chat:
            reply = text_of(chat.say(f"{order_no} 申请退款"))
        assert "没有找到" in reply and status_of(db, order_no) == "paid"

    def test_without_a_payment_gateway_a_human_handles_refunds(self, db: Database) -> None:
        with chat_with(db) as chat:
            assert "转人工" in text_of(chat.say("我要退款"))


class TestMember:
    def test_a_member_hears_about_member_prices(self, db: Database) -> None:
        from tests.integration.orders.shop import make_shopper

        make_shopper(db, "o-buyer", member=True)
        with chat_with(db) as chat:
            assert "会员价" in text_of(chat.say("会员")) and "等级 1" in text_of(chat.say("会员权益"))

    def test_points_and_coupons_get_honest_answers(self, db: Database) -> None:
        with chat_with(db) as chat:
            assert "即将上线" in text_of(chat.say("我的积分"))
            assert "暂时没有可用的优惠券" in text_of(chat.say("优惠券"))
            assert "普通顾客" in text_of(chat.click("MENU_MEMBER"))
