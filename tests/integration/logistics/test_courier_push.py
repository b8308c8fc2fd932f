"""Kuaidi100 wire format end to end: our tracker against the imitation, pushes into /courier/notify."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from commerce import clock, events
from commerce.db import Database
from commerce.logistics import services as logistics
from commerce.logistics.model import Shipment
from commerce.logistics.port import CourierUnavailable, TrackingState
from commerce.orders.model import OrderStatusChange
from sandbox.courier import wire
from tests.integration.logistics.parcels import (
    CUSTOMER,
    STEP,
    CourierSite,
    courier_site,
    shipped_order,
    status_of,
)

ACK = {"result": True, "returnCode": "200", "message": "成功"}


@pytest.fixture
def site(db: Database) -> Iterator[CourierSite]:
    with courier_site(db) as s:
        yield s


def _changes(db: Database) -> int:
    with db.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(OrderStatusChange)) or 0)


def _shipment(db: Database, order_no: str) -> Shipment:
    with db.uow() as uow:
        s = uow.session.scalar(select(Shipment).where(Shipment.order_no == order_no))
        assert s is not None
        uow.session.expunge(s)  # keep the loaded values after the unit of work closes
        return s


class TestQuery:
    def test_a_signed_query_gets_the_collection_line_first_and_more_lines_as_time_passes(self, site: CourierSite) -> None:
        first = site.tracker.query("yuantong", "YT9000000001")
        assert first.state is TrackingState.COLLECTED and len(first.events) == 1 and "揽收" in first.events[0].context
        clock.advance(seconds=STEP * 3 + 1)
        later = site.tracker.query("yuantong", "YT9000000001")
        assert later.state is TrackingState.DELIVERING and len(later.events) == 4
        assert later.events[0].time > later.events[-1].time and not later.signed

    def test_a_query_with_a_wrong_sign_is_refused_by_the_courier(self, site: CourierSite) -> None:
        param = json.dumps({"com": "yuantong", "num": "YT1"})
        body = site.client.post("/sandbox/courier/poll/query.do",
                                data={"customer": CUSTOMER, "sign": "0" * 32, "param": param}).json()
        assert body == {"result": False, "returnCode": "503", "message": "验证签名失败"}

    def test_the_sign_is_md5_of_param_key_and_customer_upper_case(self) -> None:
        assert wire.query_sign("{}", "k", "c") == hashlib.md5(b"{}kc").hexdigest().upper()

    def test_shunfeng_needs_the_phone_and_unknown_parcels_have_no_record(self, site: CourierSite) -> None:
        with pytest.raises(CourierUnavailable) as no_phone:
            site.tracker.query("shunfeng", "SF100200300")
        assert no_phone.value.code == "408"
        assert site.tracker.query("shunfeng", "SF100200300", "13800138000").state is TrackingState.COLLECTED
        with pytest.raises(CourierUnavailable) as none:
            site.tracker.query("yuantong", "YT0000000404")
        assert none.value.code == "500"


class TestPush:
    def test_pushes_follow_the_parcel_and_the_signed_push_marks_the_order_delivered(
        self, db: Database, site: CourierSite
    ) -> None:
        delivered: list[events.OrderDelivered] = []
        events.subscribe(events.OrderDelivered, lambda _u, e: delivered.append(e))
        try:
            order_no = shipped_order(db)
            site.tracker.subscribe("yuantong", "YT1234567890", "13800138000")
            assert site.push_due() == 1
            assert _shipment(db, order_no).state == TrackingState.COLLECTED.value
            clock.advance(seconds=STEP * 2 + 1)
            assert site.push_due() == 1
            assert _shipment(db, order_no).state == TrackingState.IN_TRANSIT.value
            assert status_of(db, order_no) == "shipped"
            clock.advance(seconds=STEP * 2)
            assert site.push_due() == 1
        finally:
            events.clear()
        shipment = _shipment(db, order_no)
        assert shipment.signed and shipment.state == TrackingState.SIGNED.value and len(shipment.events) == 5
        assert status_of(db, order_no) == "delivered"
        assert [e.order_no for e in delivered] == [order_no]
        assert site.push_due() == 0  # nothing new: nothing pushed

    def test_a_replayed_push_is_acknowledged_and_changes_nothing(self, db: Database, site: CourierSite) -> None:
        order_no = shipped_order(db)
        data = [{"time": "2026-01-02 09:00:00", "context": "已签收，签收人：本人", "location": "上海市"},
                {"time": "2026-01-01 09:00:00", "context": "已揽收", "location": "杭州市"}]
        form = site.signed_push("yuantong", "YT1234567890", "3", data)
        assert site.client.post("/courier/notify", data=form).json() == ACK
        before = (_changes(db), _shipment(db, order_no).updated_at)
        assert site.client.post("/courier/notify", data=form).json() == ACK
        assert (_changes(db), _shipment(db, order_no).updated_at) == before
        assert status_of(db, order_no) == "delivered"

    def test_an_older_push_arriving_late_does_not_roll_the_tracking_back(self, db: Database, site: CourierSite) -> None:
        order_no = shipped_order(db)
        new = [{"time": "2026-01-02 09:00:00", "context": "派件中", "location": "上海市"},
               {"time": "2026-01-01 09:00:00", "context": "已揽收", "location": "杭州市"}]
        old = new[1:]
        site.client.post("/courier/notify", data=site.signed_push("yuantong", "YT1234567890", "5", new))
        assert site.client.post("/courier/notify", data=site.signed_push("yuantong", "YT1234567890", "1", old)).json() == ACK
        shipment = _shipment(db, order_no)
        assert shipment.state == TrackingState.DELIVERING.value and len(shipment.events) == 2

    def test_a_push_with_a_bad_sign_is_rejected_and_changes_nothing(self, db: Database, site: CourierSite) -> None:
        order_no = shipped_order(db)
        data = [{"time": "2026-01-02 09:00:00", "context": "已签收", "location": "上海市"}]
        forged = site.signed_push("yuantong", "YT1234567890", "3", data, salt="not-our-salt")
        resp = site.client.post("/courier/notify", data=forged)
        assert resp.status_code == 401 and resp.json()["result"] is False
        assert status_of(db, order_no) == "shipped"
        assert _shipment(db, order_no).state == TrackingState.PENDING.value

    @pytest.mark.parametrize("form", [{}, {"param": "not json", "sign": wire.push_sign("not json", "test-salt")},
                                      {"param": "{}", "sign": wire.push_sign("{}", "test-salt")}])
    def test_a_malformed_push_is_refused_with_400(self, db: Database, site: CourierSite, form: dict[str, str]) -> None:
        resp = site.client.post("/courier/notify", data=form)
        assert resp.status_code == 400 and resp.json()["result"] is False

    def test_a_push_for_a_parcel_we_do_not_know_is_acknowledged(self, db: Database, site: CourierSite) -> None:
        form = site.signed_push("yuantong", "YT-UNKNOWN", "0", [{"time": "2026-01-01 09:00:00", "context": "在途"}])
        assert site.client.post("/courier/notify", data=form).json() == ACK

    def test_a_returned_parcel_does_not_mark_the_order_delivered(self, db: Database, site: CourierSite) -> None:
        order_no = shipped_order(db)
        data = [{"time": "2026-01-02 09:00:00", "context": "退回寄件人", "location": "杭州市"}]
        site.client.post("/courier/notify", data=site.signed_push("yuantong", "YT1234567890", "6", data))
        assert status_of(db, order_no) == "shipped"


class TestRefresh:
    def test_refresh_asks_the_courier_and_keeps_the_latest_lines(self, db: Database, site: CourierSite) -> None:
        order_no = shipped_order(db)
        site.tracker.query("yuantong", "YT1234567890")  # the courier has seen it
        clock.advance(seconds=STEP * 2 + 1)
        with db.uow() as uow:
            view = logistics.refresh_tracking(uow, site.tracker, order_no, openid="o-buyer")
            uow.commit()
        assert view.tracking.state is TrackingState.IN_TRANSIT and len(view.tracking.events) == 3
        assert not view.stale and _shipment(db, order_no).checked_at is not None

    def test_when_the_courier_cannot_answer_the_last_known_tracking_is_shown_as_stale(
        self, db: Database, site: CourierSite
    ) -> None:
        order_no = shipped_order(db, tracking_no="YT0000000404")
        with db.uow() as uow:
            view = logistics.refresh_tracking(uow, site.tracker, order_no)
        assert view.stale and view.tracking.state is TrackingState.PENDING and view.tracking.events == ()

    def test_refresh_with_the_signed_push_marks_delivered(self, db: Database, site: CourierSite) -> None:
        order_no = shipped_order(db)
        site.tracker.query("yuantong", "YT1234567890")
        clock.advance(seconds=STEP * 5)
        with db.uow() as uow:
            view = logistics.refresh_tracking(uow, site.tracker, order_no)
            uow.commit()
        assert view.tracking.signed and status_of(db, order_no) == "delivered"
