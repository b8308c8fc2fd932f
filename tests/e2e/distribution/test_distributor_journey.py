"""The issue's 'done when', in process: A joins by chat, B subscribes with A's scene and buys,
A sees pending commission, the freeze window passes, `settle weekly`, A withdraws to WeChat
change through the transfer-bills sandbox and the payout ends paid; A's referrer earns level 2."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bot.dialogue import Ctx, Dialogue, StateStore
from bot.kv import MemoryKV
from bot.messages import Inbound, TextReply
from commerce import clock, events
from commerce.db import Database
from commerce.distribution import recruitment
from commerce.distribution.ledger import balances, release_frozen
from commerce.distribution.payout_model import Payout, PayoutState
from commerce.distribution.settlement import settle
from commerce.orders import services as orders
from commerce.payments import services as payments
from commerce.payments.port import PaymentNotification
from sandbox.transfer import TransferSandbox
from siyu.container import Container
from siyu.distribution import payout_notify_routes, register_subscriptions
from siyu.payments import sandbox_config, sandbox_gateway
from siyu.settings import Settings
from tests.integration.orders.shop import make_shopper, make_sku
from tests.unit.dialogue.fakes import FakeInterpreter


@pytest.fixture
def world(db: Database, tmp_path: Path) -> Iterator[tuple[Container, TestClient, Dialogue]]:
    settings = Settings(data_dir=tmp_path, public_base_url="http://testserver")
    register_subscriptions(settings.distribution)
    c = Container(settings)
    c.__dict__["db"] = db
    cfg = sandbox_config(settings, tmp_path)
    app = Starlette(routes=payout_notify_routes(c) + TransferSandbox(cfg).routes())
    cfg.callback_transport = httpx.ASGITransport(app=app)
    with TestClient(app) as http:
        c.__dict__["pay_gateway"] = sandbox_gateway(settings, tmp_path, client=http)
        c.distribution.configure_chat()
        ctx = Ctx(db=db, interpreter=FakeInterpreter(), shop_name="思语优选", on_referral_scene=c.on_referral_scene)
        yield c, http, Dialogue(ctx, StateStore(MemoryKV()))
    events.clear()


def _say(dialogue: Dialogue, openid: str, text: str = "", **event: str) -> str:
    kind = "event" if event else "text"
    reply = dialogue.respond(Inbound(openid=openid, kind=kind, text=text, **event))
    assert isinstance(reply, TextReply), reply
    return reply.content


def _code(db: Database, openid: str) -> str:
    with db.uow() as uow:
        return recruitment.active_by_openid(uow, openid).code


def test_join_share_buy_settle_withdraw(db: Database, world: tuple[Container, TestClient, Dialogue]) -> None:
    c, http, dialogue = world
    _say(dialogue, "oR", "我想做推广")  # R recruits A (A's referrer earns level 2)
    _say(dialogue, "oA", event="subscribe", scene=f"d_{_code(db, 'oR')}")
    assert "推广员" in _say(dialogue, "oA", "我想做推广")
    code = _code(db, "oA")
    assert "好友推荐" in _say(dialogue, "oB", event="subscribe", scene=f"d_{code}")

    sku = make_sku(db, price_fen=20_000, stock=5)
    buyer = make_shopper(db, "oB")
    with db.uow() as uow:
        view = orders.place_order(uow, "oB", address_id=buyer.address_id, items=[(sku, 1)])
        payments.apply_payment_notification(uow, PaymentNotification(
            view.order_no, "tx-1", "SUCCESS", view.payable_fen, "oB", clock.now()))
        uow.commit()
    assert "冻结中（售后期）¥20.00" in _say(dialogue, "oA", "我的佣金")

    with db.uow() as uow:
        orders.ship_order(uow, view.order_no, carrier="sf", tracking_no="SF9", actor="test")
        orders.mark_delivered(uow, view.order_no)
        uow.commit()
    clock.advance(days=8)
    with db.uow() as uow:
        release_frozen(uow, c.distribution.policy)
        settle(uow, "weekly", c.distribution.policy)
        uow.commit()
    assert "可提现 ¥20.00" in _say(dialogue, "oA", "我的佣金")

    reply = _say(dialogue, "oA", "全部提现")
    assert "¥20.00" in reply and "/sandbox/transfer/confirm/" in reply
    with db.uow() as uow:
        (payout,) = uow.session.query(Payout).all()
        payout_id, payout_no = payout.id, payout.payout_no
        assert payout.state == PayoutState.PROCESSING
    assert http.post(f"/sandbox/transfer/confirm/{payout_no}", data={"action": "confirm"}).status_code == 200
    with db.uow() as uow:
        assert uow.session.get(Payout, payout_id).state == PayoutState.PAID  # type: ignore[union-attr]
        a = recruitment.active_by_openid(uow, "oA")
        r = recruitment.active_by_openid(uow, "oR")
        assert balances(uow, a.id).withdrawable_fen == 0 and balances(uow, a.id).withdrawn_fen == 2_000
        assert balances(uow, r.id).withdrawable_fen == 1_000  # level 2: 5%
