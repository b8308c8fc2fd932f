"""Payouts whose transfer callback never arrives are reconciled by querying the transfer-bills sandbox.

The sandbox's `finish` ends a bill without sending MCHTRANSFER.BILL.FINISHED (a lost callback); the
`reconcile_payouts` job (what beat and `siyu payout reconcile` run) then queries it and applies the state
through the callback's own transitions.  A wrong real name, simulated on the sandbox's confirmation page,
fails the payout and clears the saved name.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bot.texts import payout_finished_text
from commerce import clock, events
from commerce.db import Database
from commerce.distribution import payouts
from commerce.distribution.ledger import balances
from commerce.distribution.model import Distributor
from commerce.distribution.payout_model import PayoutMethod, PayoutState
from commerce.distribution.payout_port import PayoutGatewayError
from sandbox.pay import wire
from sandbox.pay.keys import load_or_create_private_key
from sandbox.transfer import TransferSandbox
from siyu.container import Container
from siyu.distribution import payout_notify_routes
from siyu.jobs import reconcile_payouts
from siyu.payments import SANDBOX_SERIAL, sandbox_config, sandbox_gateway
from siyu.settings import Settings
from tests.integration.distribution.builders import POLICY, settled_balance


@dataclass
class Site:
    http: TestClient
    c: Container
    sandbox: TransferSandbox
    platform_key: rsa.RSAPrivateKey
    finished: list[tuple[str, bool]]

    def withdraw(self, db: Database, fen: int, *, approve: bool = False) -> str:
        with db.uow() as uow:
            no = payouts.withdraw(uow, "oB", fen, PayoutMethod.WECHAT, POLICY).payout_no
            if approve:
                payouts.approve_payout(uow, no)
            uow.commit()
        self.c.distribution.process_payout(no)
        return no

    def payout(self, db: Database, no: str) -> SimpleNamespace:
        with db.uow() as uow:
            p = payouts.find_payout(uow, no)
            return SimpleNamespace(**{k: getattr(p, k) for k in (
                "payout_no", "state", "reason", "method", "amount_fen", "net_fen", "transfer_bill_no")})

    def callback(self, no: str, amount: int, state: str) -> int:
        """WeChat Pay's (late, or replayed) MCHTRANSFER.BILL.FINISHED for the bill, signed and encrypted."""
        plain = {"out_bill_no": no, "transfer_bill_no": "1330X", "state": state, "mch_id": "1900000001",
                 "transfer_amount": amount, "openid": "oB"}
        headers, body = wire.callback(self.platform_key, SANDBOX_SERIAL, self.c.settings.pay.apiv3_key,
                                      event_type="MCHTRANSFER.BILL.FINISHED", summary="终态", plain=plain,
                                      associated_data="mch_payment", original_type="mch_payment", now=time.time())
        return self.http.post("/payout/notify", content=body, headers=headers).status_code


@pytest.fixture
def site(db: Database, tmp_path: Path) -> Iterator[Site]:
    settings = Settings(data_dir=tmp_path, public_base_url="http://testserver")
    c = Container(settings)
    c.__dict__["db"] = db
    cfg = sandbox_config(settings, tmp_path)
    cfg.retry_after_seconds = 0.05
    sandbox = TransferSandbox(cfg)
    app = Starlette(routes=payout_notify_routes(c) + sandbox.routes())
    cfg.callback_transport = httpx.ASGITransport(app=app)
    finished: list[tuple[str, bool]] = []

    def on_finished(_uow: Any, event: events.PayoutFinished) -> None:  # what the chat notice hangs on
        finished.append((event.payout_no, event.paid))

    events.subscribe(events.PayoutFinished, on_finished)
    try:
        with TestClient(app) as http:
            c.__dict__["pay_gateway"] = sandbox_gateway(settings, tmp_path, client=http)
            key = load_or_create_private_key(tmp_path / "sandbox" / "pay_platform_key.pem")
            yield Site(http, c, sandbox, key, finished)
    finally:
        events._handlers[events.PayoutFinished].remove(on_finished)


def test_a_lost_success_callback_is_reconciled_to_paid_and_a_late_callback_is_a_no_op(
        db: Database, site: Site) -> None:
    b = settled_balance(db, 10_000)
    no = site.withdraw(db, 500)
    site.sandbox.finish(no, "confirm")  # the user confirmed; the callback never arrives
    assert reconcile_payouts(site.c) == {}  # not processing for 30 minutes yet: left alone
    assert site.payout(db, no).state == PayoutState.PROCESSING

    clock.advance(minutes=31)
    assert reconcile_payouts(site.c) == {"paid": 1}
    p = site.payout(db, no)
    assert (p.state, p.transfer_bill_no) == (PayoutState.PAID, site.sandbox.store.bills[no].transfer_bill_no)
    assert site.finished == [(no, True)]

    assert site.callback(no, 500, "SUCCESS") == 200  # the lost callback turns up after all
    assert site.callback(no, 500, "FAIL") == 200
    assert reconcile_payouts(site.c, 0) == {}
    assert site.payout(db, no).state == PayoutState.PAID and site.finished == [(no, True)]
    with db.uow() as uow:
        assert balances(uow, b.id).withdrawable_fen == 500


def test_a_lost_failure_callback_returns_the_money_once(db: Database, site: Site) -> None:
    b = settled_balance(db, 10_000)
    no = site.withdraw(db, 1_000)
    site.sandbox.finish(no, "fail")
    assert reconcile_payouts(site.c, 0) == {"failed": 1}
    assert reconcile_payouts(site.c, 0) == {}
    assert site.callback(no, 1_000, "FAIL") == 200
    p = site.payout(db, no)
    assert (p.state, p.reason) == (PayoutState.FAILED, "ACCOUNT_FROZEN")
    with db.uow() as uow:
        assert balances(uow, b.id).withdrawable_fen == 1_000
    assert site.finished == [(no, False)]


def test_an_unconfirmed_bill_waits_then_is_cancelled_after_the_confirmation_window(
        db: Database, site: Site) -> None:
    b = settled_balance(db, 10_000)
    no = site.withdraw(db, 800)
    clock.advance(hours=2)
    assert reconcile_payouts(site.c) == {"waiting": 1}  # the user may still confirm
    assert site.sandbox.store.bills[no].state == "WAIT_USER_CONFIRM"

    clock.advance(hours=23)
    assert reconcile_payouts(site.c) == {"failed": 1}
    assert site.sandbox.store.bills[no].state == "CANCELLED"
    p = site.payout(db, no)
    assert (p.state, p.reason) == (PayoutState.FAILED, "OVERDUE_CLOSE")
    assert "24 小时未确认收款" in payout_finished_text(p) and "退回" in payout_finished_text(p)
    with db.uow() as uow:
        assert balances(uow, b.id).withdrawable_fen == 1_000
    assert site.finished == [(no, False)]
    # the user taps 确认收款 too late: the bill is final, nothing changes
    site.http.post(f"/sandbox/transfer/confirm/{no}", data={"action": "confirm"})
    assert site.callback(no, 800, "SUCCESS") == 200
    assert site.payout(db, no).state == PayoutState.FAILED


def test_an_unreachable_transfer_api_leaves_the_payout_for_the_next_run(db: Database, site: Site) -> None:
    settled_balance(db, 10_000)
    no = site.withdraw(db, 500)

    class Down:
        def query_transfer(self, out_bill_no: str) -> Any:
            raise PayoutGatewayError("connection refused")

    real = site.c.distribution.payout_gateway
    site.c.distribution.__dict__["payout_gateway"] = Down()
    assert reconcile_payouts(site.c, 0) == {"unreachable": 1}
    assert site.payout(db, no).state == PayoutState.PROCESSING
    site.c.distribution.__dict__["payout_gateway"] = real
    site.sandbox.finish(no, "confirm")
    assert reconcile_payouts(site.c, 0) == {"paid": 1}


def test_a_wrong_real_name_fails_the_payout_and_clears_the_saved_name(db: Database, site: Site) -> None:
    b = settled_balance(db, 2_100_000)  # ¥2,100 withdrawable: WeChat needs the real name from ¥2,000
    with db.uow() as uow:
        payouts.save_payout_name(uow, "oB", "张三", consent=True)
        uow.commit()
    no = site.withdraw(db, 200_000, approve=True)
    assert site.payout(db, no).state == PayoutState.PROCESSING
    page = site.http.get(f"/sandbox/transfer/confirm/{no}")
    assert "收款人实名：张*" in page.text and "实名不符" in page.text
    assert site.http.post(f"/sandbox/transfer/confirm/{no}", data={"action": "fail_name"}).status_code == 200
    p = site.payout(db, no)
    assert (p.state, p.reason) == (PayoutState.FAILED, "NAME_NOT_CORRECT")
    assert "姓名与微信实名不一致" in payout_finished_text(p)
    with db.uow() as uow:
        d = uow.session.get(Distributor, b.id)
        assert d is not None and d.payout_real_name is None and d.payout_name_consent_at is None
        assert balances(uow, b.id).withdrawable_fen == 210_000
