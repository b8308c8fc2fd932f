"""「我的快递到哪了」 through `Dialogue.respond` with the courier imitation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.dialogue import Waiting
from commerce import clock
from commerce.db import Database
from tests.integration.aftersale.chat import chat_with, text_of
from tests.integration.logistics.parcels import (
    STEP,
    CourierSite,
    courier_site,
    paid_order,
    shipped_order,
    status_of,
)


@pytest.fixture
def site(db: Database) -> Iterator[CourierSite]:
    with courier_site(db) as s:
        yield s


class TestTracking:
    def test_my_parcel_shows_the_latest_three_lines_and_the_state(self, db: Database, site: CourierSite) -> None:
        order_no = shipped_order(db)
        site.tracker.query("yuantong", "YT1234567890")
        clock.advance(seconds=STEP * 3 + 1)
        with chat_with(db, courier=site.tracker) as chat:
            reply = text_of(chat.say("我的快递到哪了"))
        lines = reply.splitlines()
        assert order_no in lines[0] and "圆通速递 YT1234567890｜派送中" in lines[1]
        assert len([ln for ln in lines if ln.startswith("· ")]) == 3 and "派件" in lines[2]

    def test_without_a_shipped_order_the_bot_says_so_kindly(self, db: Database, site: CourierSite) -> None:
        paid_order(db)
        with chat_with(db, courier=site.tracker) as chat:
            assert "还没有已发货的订单" in text_of(chat.say("查物流"))

    def test_several_parcels_are_listed_and_the_second_can_be_picked(self, db: Database, site: CourierSite) -> None:
        older = shipped_order(db, tracking_no="YT1000000001")
        newer = shipped_order(db, tracking_no="YT1000000002")
        with chat_with(db, courier=site.tracker) as chat:
            listing = text_of(chat.say("查快递"))
            assert "2 个包裹" in listing and listing.index(newer) < listing.index(older)
            assert chat.state.waiting(Waiting.TRACK_PICK)
            picked = text_of(chat.say("第二个"))
        assert older in picked and "YT1000000001" in picked and "揽收" in picked

    def test_logistics_with_an_order_number_shows_that_order(self, db: Database, site: CourierSite) -> None:
        order_no = shipped_order(db)
        with chat_with(db, courier=site.tracker) as chat:
            assert "YT1234567890" in text_of(chat.say(f"物流 {order_no}"))

    def test_a_bare_tracking_number_of_my_parcel_is_tracked(self, db: Database, site: CourierSite) -> None:
        order_no = shipped_order(db)
        with chat_with(db, courier=site.tracker) as chat:
            assert order_no in text_of(chat.say("YT1234567890"))

    def test_someone_elses_tracking_number_is_not_shown(self, db: Database, site: CourierSite) -> None:
        shipped_order(db, "o-other")
        with chat_with(db, courier=site.tracker) as chat:
            reply = text_of(chat.say("快递单号 YT1234567890"))
        assert "没找到快递单号" in reply or "YT1234567890" not in reply

    def test_an_unshipped_order_by_number_is_explained(self, db: Database, site: CourierSite) -> None:
        order_no = paid_order(db)
        with chat_with(db, courier=site.tracker) as chat:
            assert "还没有发货" in text_of(chat.say(f"物流 {order_no}"))

    def test_when_the_courier_is_down_the_last_known_tracking_is_shown(self, db: Database, site: CourierSite) -> None:
        shipped_order(db, tracking_no="YT0000000404")
        with chat_with(db, courier=site.tracker) as chat:
            reply = text_of(chat.say("查物流"))
        assert "暂时查不到最新进度" in reply and "等待快递揽收" in reply

    def test_a_signed_parcel_found_by_chat_marks_the_order_delivered(self, db: Database, site: CourierSite) -> None:
        order_no = shipped_order(db)
        site.tracker.query("yuantong", "YT1234567890")
        clock.advance(seconds=STEP * 5)
        with chat_with(db, courier=site.tracker) as chat:
            assert "已签收" in text_of(chat.say("查物流"))
        assert status_of(db, order_no) == "delivered"
