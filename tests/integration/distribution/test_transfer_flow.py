"""Payout through the transfer-bills sandbox, in-process: request → user confirms → signed callback → paid.

Our /payout/notify and the sandbox share one Starlette app; the sandbox calls back into it
(ASGITransport) and our V3 client calls the sandbox through a TestClient, as siyu wires it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.testclient import TestClient

from commerce.db import Database
from commerce.distribution import payouts
from commerce.distribution.ledger import balances
from commerce.distribution.payout_model import PayoutMethod, PayoutState
from sandbox.pay import wire
from sandbox.pay.keys import load_or_create_private_key
from sandbox.transfer import TransferSandbox
from siyu.container import Container
from siyu.distribution import payout_notify_routes
from siyu.payments import SANDBOX_SERIAL, sandbox_config, sandbox_gateway
from siyu.settings import Settings
from tests.integration.distribution.builders import POLICY, settled_balance


@dataclass
class Site:
    http: TestClient
    c: Container
    platform_key: rsa.RSAPrivateKey

    def withdraw(self, db: Database, fen: int) -> str:
        with db.uow() as uow:
            no = payouts.withdraw(uow, "oB", fen, PayoutMethod.WECHAT, POLICY).payout_no
            uow.commit()
        self.c.distribution.process_payout(no)
        return no

    def state(self, db: Database, no: str) -> PayoutState:
        with db.uow() as uow:
            return PayoutState(payouts.find_payout(uow, no).state)

    def finished(self, no: str, amount: int, *, key: rsa.RSAPrivateKey | None = None, state: str = "SUCCESS",
                 at: float | None = None) -> tuple[dict[str, str], bytes]:
        plain = {"out_bill_no": no, "transfer_bill_no": "1330X", "state": state, "mch_id": "1900000001",
                 "transfer_amount": amount, "openid": "oB"}
        return wire.callback(key or self.platform_key, SANDBOX_SERIAL, self.c.settings.pay.apiv3_key,
                             event_type="MCHTRANSFER.BILL.FINISHED", summary="终态", plain=plain,
                             associated_data="mch_payment", original_type="mch_payment",
                             now=time.time() if at is None else at)


@pytest.fixture
def site(db: Database, tmp_path: Path) -> Iterator[Site]:
    settings = Settings(data_dir=tmp_path, public_base_url="http://testserver")
    c = Container(settings)
    c.__dict__["db"] = db
    cfg = sandbox_config(settings, tmp_path)
    cfg.retry_after_seconds = 0.05
    app = Starlette(routes=payout_notify_routes(c) + TransferSandbox(cfg).routes())
    cfg.callback_transport = httpx.ASGITransport(app=app)
    with TestClient(app) as http:
        gateway = sandbox_gateway(settings, tmp_path, client=http)
        c.__dict__["pay_gateway"] = gateway
        yield Site(http, c, load_or_create_private_key(tmp_path / "sandbox" / "pay_platform_key.pem"))


def test_the_user_confirms_and_the_signed_callback_marks_the_payout_paid(db: Database, site: Site) -> None:
    b = settled_balance(db, 10_000)
    no = site.withdraw(db, 500)
    assert site.state(db, no) == PayoutState.PROCESSING
    page = site.http.get(f"/sandbox/transfer/confirm/{no}")
    assert page.status_code == 200 and "确认收款" in page.text and "5.00" in page.text
    assert site.http.post(f"/sandbox/transfer/confirm/{no}", data={"action": "confirm"}).status_code == 200
    assert site.state(db, no) == PayoutState.PAID
    with db.uow() as uow:
        assert balances(uow, b.id).withdrawable_fen == 500


def test_a_failed_transfer_returns_the_money_with_the_reason(db: Database, site: Site) -> None:
    b = settled_balance(db, 10_000)
    no = site.withdraw(db, 1_000)
    site.http.post(f"/sandbox/transfer/confirm/{no}", data={"action": "fail"})
    with db.uow() as uow:
        p = payouts.find_payout(uow, no)
        assert (p.state, p.reason) == (PayoutState.FAILED, "ACCOUNT_FROZEN")
        assert balances(uow, b.id).withdrawable_fen == 1_000


def test_a_replayed_callback_changes_nothing_and_a_forged_one_is_refused(db: Database, site: Site) -> None:
    b = settled_balance(db, 10_000)
    no = site.withdraw(db, 500)
    headers, body = site.finished(no, 500)
    for _ in range(2):
        assert site.http.post("/payout/notify", content=body, headers=headers).status_code == 200
    assert site.state(db, no) == PayoutState.PAID
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    no2 = site.withdraw(db, 200)
    h, bd = site.finished(no2, 200, key=forger, state="FAIL")
    assert site.http.post("/payout/notify", content=bd, headers=h).status_code == 401
    stale_h, stale_b = site.finished(no2, 200, state="FAIL", at=time.time() - 3600)
    assert site.http.post("/payout/notify", content=stale_b, headers=stale_h).status_code == 401
    wrong_h, wrong_b = site.finished(no2, 99_999, state="FAIL")
    assert site.http.post("/payout/notify", content=wrong_b, headers=wrong_h).status_code == 400
    assert site.state(db, no2) == PayoutState.PROCESSING
    with db.uow() as uow:
        assert balances(uow, b.id).withdrawable_fen == 300
