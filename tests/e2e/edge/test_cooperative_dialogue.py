"""The whole app on PostgreSQL + Redis, as in production: the dialogue runs on the event loop with
cooperative database and cache waits — a shopper's journey and many shoppers at once, through the
sandbox's signed callbacks."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from bot.dialogue.engine import Dialogue
from commerce import cooperative
from commerce.cart.model import CartItem
from commerce.customers.model import Customer
from commerce.db import Database
from commerce.orders.model import Order
from tests.conftest import REDIS_URL
from tests.e2e.live_app import LiveApp


@pytest.fixture
def shop(pg_db: Database, pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[LiveApp, list[bool]]]:
    on_loop: list[bool] = []
    respond = Dialogue.respond

    def recording(self: Dialogue, inbound: Any) -> Any:
        on_loop.append(cooperative.active())
        return respond(self, inbound)

    monkeypatch.setattr(Dialogue, "respond", recording)
    # pg_db: the tables are emptied afterwards
    with LiveApp(tmp_path, database={"url": pg_url, "pool_size": 4},
                 redis={"url": REDIS_URL, "prefix": f"siyu-coop-{uuid.uuid4().hex[:8]}:"}) as app:
        yield app, on_loop


def say(http: httpx.Client, openid: str, text: str) -> str:
    r = http.post("/sandbox/send", json={"openid": openid, "msgtype": "text", "content": text})
    assert r.status_code == 200, r.text
    reply = r.json()["reply"]
    assert reply is not None, r.json()
    return str(reply.get("content") or reply)


def test_a_shopper_finds_adds_and_orders_with_the_dialogue_on_the_event_loop(shop: tuple[LiveApp, list[bool]]) -> None:
    app, on_loop = shop
    assert app.settings.wechat.cooperative_dialogue
    with httpx.Client(base_url=app.base_url, timeout=30) as http:
        assert "脐橙" in say(http, "o_coop", "有脐橙吗")
        assert "¥" in say(http, "o_coop", "第一个详细说说")
        assert "购物车" in say(http, "o_coop", "来两件5斤")
        assert "赣南脐橙" in say(http, "o_coop", "购物车")
        assert "同意" in say(http, "o_coop", "结算")
        say(http, "o_coop", "同意")
        assert "应付" in say(http, "o_coop", "王小明 13812345678 浙江省杭州市西湖区文三路100号")
        assert "待支付" in say(http, "o_coop", "确认")  # the order, on the loop: fast-path checkout, order number
    assert on_loop and all(on_loop)
    with app.container.db.uow() as uow:
        customer = uow.session.scalar(select(Customer).where(Customer.openid == "o_coop"))
        assert customer is not None
        quantity = uow.session.scalar(select(func.sum(CartItem.quantity)).where(CartItem.customer_id == customer.id))
        orders = uow.session.scalars(select(Order.payable_fen).where(Order.customer_id == customer.id)).all()
    assert quantity is None and len(orders) == 1 and orders[0] >= 7980  # two 5斤 boxes (+ shipping); cart empty


def test_thirty_shoppers_at_once_are_all_answered_and_nothing_is_lost(shop: tuple[LiveApp, list[bool]]) -> None:
    app, on_loop = shop
    users = [f"o_many_{i}" for i in range(30)]
    with httpx.Client(base_url=app.base_url, timeout=30) as http:
        for openid in users:
            say(http, openid, "脐橙")
        with ThreadPoolExecutor(max_workers=30) as pool:
            replies = list(pool.map(lambda openid: say(http, openid, "第一个来一件5斤"), users))
    assert all("购物车" in r for r in replies), replies[:3]
    with app.container.db.uow() as uow:
        lines = uow.session.scalar(select(func.count()).select_from(CartItem).join(
            Customer, Customer.id == CartItem.customer_id).where(Customer.openid.in_(users)))
    assert lines == 30
    assert all(on_loop)  # pool_size 4: the others queued on the loop, none fell back to a thread
