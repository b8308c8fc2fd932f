"""The production payout adapter (wechatpayv3's transfer-bills) against the transfer-bills sandbox, over real HTTP.

wechatpayv3 talks `requests` to `pay.api_base`, so the sandbox and our /payout/notify run under uvicorn
on a local port: requests are signed with the merchant key and checked by the sandbox, its answers are
signed with the platform key and checked by wechatpayv3, `user_name` is RSA-OAEP encrypted with the
WeChat Pay public key and decrypted by the sandbox, and its MCHTRANSFER.BILL.FINISHED callback is
verified and decrypted by wechatpayv3's `callback`.  No internet.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette

from commerce.db import Database
from commerce.distribution import payouts
from commerce.distribution.errors import RealNameRequired
from commerce.distribution.ledger import balances
from commerce.distribution.payout_model import PayoutMethod, PayoutState
from commerce.distribution.payout_port import PayoutGatewayError, TransferRequest
from sandbox.pay import wire
from sandbox.pay.keys import load_or_create_private_key, public_pem
from sandbox.transfer import TransferSandbox
from siyu.adapters.wechatpay_transfer import WechatPayTransferGateway
from siyu.container import Container
from siyu.distribution import payout_notify_routes
from siyu.payments import SANDBOX_SERIAL, sandbox_config
from siyu.settings import Settings
from tests.e2e.live_app import free_port
from tests.integration.distribution.builders import POLICY, settled_balance

BIG = 250_000  # ¥2,500: WeChat wants the payee's real name


@dataclass
class Site:
    c: Container
    sandbox: TransferSandbox
    base_url: str
    platform_key: rsa.RSAPrivateKey

    @property
    def gateway(self) -> WechatPayTransferGateway:
        gateway = self.c.distribution.payout_gateway
        assert isinstance(gateway, WechatPayTransferGateway)
        return gateway

    def withdraw(self, db: Database, fen: int, *, name: str | None = "张三") -> str:
        with db.uow() as uow:
            if name:
                payouts.save_payout_name(uow, "oB", name, consent=True)
            no = payouts.withdraw(uow, "oB", fen, PayoutMethod.WECHAT, POLICY).payout_no
            payouts.approve_payout(uow, no) if fen >= POLICY.auto_approve_payout_below_fen else None
            uow.commit()
        self.c.distribution.process_payout(no)
        return no

    def decide(self, no: str, action: str) -> None:
        r = httpx.post(f"{self.base_url}/sandbox/transfer/confirm/{no}", data={"action": action}, timeout=10)
        assert r.status_code == 200, r.text

    def state(self, db: Database, no: str) -> tuple[PayoutState, str]:
        with db.uow() as uow:
            p = payouts.find_payout(uow, no)
            return PayoutState(p.state), p.reason

    def notify(self, no: str, amount: int, *, key: rsa.RSAPrivateKey | None = None, state: str = "SUCCESS",
               at: float | None = None) -> int:
        plain = {"out_bill_no": no, "transfer_bill_no": "1330X", "state": state, "mch_id": "1900000001",
                 "transfer_amount": amount, "openid": "oB"}
        headers, body = wire.callback(key or self.platform_key, SANDBOX_SERIAL, self.c.settings.pay.apiv3_key,
                                      event_type="MCHTRANSFER.BILL.FINISHED", summary="终态", plain=plain,
                                      associated_data="mch_payment", original_type="mch_payment",
                                      now=time.time() if at is None else at)
        return httpx.post(f"{self.base_url}/payout/notify", content=body, headers=headers, timeout=10).status_code


@pytest.fixture
def site(db: Database, tmp_path: Path) -> Iterator[Site]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    keys = tmp_path / "sandbox"
    merchant_file, platform_file = keys / "pay_merchant_key.pem", keys / "pay_platform_key.pem"
    load_or_create_private_key(merchant_file)
    platform = load_or_create_private_key(platform_file)
    (keys / "platform_public.pem").write_bytes(public_pem(platform))
    settings = Settings(data_dir=tmp_path, public_base_url=base, pay={
        "adapter": "wechatpay", "api_base": f"{base}/sandbox/pay", "merchant_serial_no": "SIYUTESTMERCHANTSERIAL",
        "merchant_private_key_file": str(merchant_file), "platform_public_key_file": str(keys / "platform_public.pem"),
        "platform_public_key_id": SANDBOX_SERIAL})
    c = Container(settings)
    c.__dict__["db"] = db
    cfg = sandbox_config(settings, tmp_path)
    cfg.retry_after_seconds = 0.05
    sandbox = TransferSandbox(cfg)
    app = Starlette(routes=payout_notify_routes(c) + sandbox.routes())
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the sandbox server did not start"
        time.sleep(0.02)
    try:
        yield Site(c, sandbox, base, platform)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class TestRealAdapterAgainstTheSandbox:
    def test_pay_adapter_wechatpay_selects_the_wechatpayv3_transfer_gateway(self, site: Site) -> None:
        assert site.gateway.scene.scene_id == "1005"
        assert dict(site.gateway.scene.report_infos) == {"岗位类型": "推广员", "报酬说明": "商品推广佣金"}

    def test_a_big_payout_sends_the_encrypted_name_waits_for_the_user_and_is_paid_on_the_callback(
            self, db: Database, site: Site) -> None:
        b = settled_balance(db, BIG * 10)
        no = site.withdraw(db, BIG)
        assert site.state(db, no) == (PayoutState.PROCESSING, "")
        bill = site.sandbox.store.bills[no]
        assert (bill.state, bill.user_name, bill.transfer_amount) == ("WAIT_USER_CONFIRM", "张三", BIG)
        with db.uow() as uow:
            assert payouts.find_payout(uow, no).package_info  # what the user's WeChat confirmation needs
        assert site.gateway.query_transfer(no).state == "WAIT_USER_CONFIRM"
        site.decide(no, "confirm")
        assert site.state(db, no) == (PayoutState.PAID, "")
        assert site.notify(no, BIG) == 200  # a replay changes nothing
        with db.uow() as uow:
            assert balances(uow, b.id).withdrawable_fen == 0 and balances(uow, b.id).withdrawn_fen == BIG

    def test_a_failed_transfer_returns_the_money_with_its_reason(self, db: Database, site: Site) -> None:
        b = settled_balance(db, 10_000)
        no = site.withdraw(db, 500, name=None)
        assert "user_name" not in site.sandbox.store.bills[no].public()
        site.decide(no, "fail")
        assert site.state(db, no) == (PayoutState.FAILED, "ACCOUNT_FROZEN")
        with db.uow() as uow:
            assert balances(uow, b.id).withdrawable_fen == 1_000

    def test_cancelling_a_waiting_bill_fails_the_payout_with_the_money_back(self, db: Database, site: Site) -> None:
        settled_balance(db, 10_000)
        no = site.withdraw(db, 300, name=None)
        assert site.gateway.cancel_transfer(no).state == "CANCELLED"
        assert site.state(db, no) == (PayoutState.FAILED, "CANCELLED")  # the merchant's 撤销: no fail_reason

    def test_forged_stale_and_mismatched_callbacks_are_refused(self, db: Database, site: Site) -> None:
        settled_balance(db, 10_000)
        no = site.withdraw(db, 200, name=None)
        forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        assert site.notify(no, 200, key=forger) == 401
        assert site.notify(no, 200, at=time.time() - 3600) == 401
        assert site.notify(no, 99_999) == 400
        assert site.state(db, no) == (PayoutState.PROCESSING, "")

    def test_an_answer_not_signed_by_wechat_pay_is_not_trusted(self, db: Database, site: Site) -> None:
        settled_balance(db, 10_000)
        impostor = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        site.sandbox.key = impostor  # the "server" now signs with a key that is not WeChat Pay's
        with pytest.raises(PayoutGatewayError, match="verify the signature"):
            site.gateway.create_transfer(TransferRequest("POSIGNED1", "oB", 100, "佣金"))


class TestRealNameRules:
    def test_a_big_wechat_withdrawal_needs_the_real_name_which_is_kept_encrypted_and_erasable(
            self, db: Database) -> None:
        from sqlalchemy import text

        from commerce.distribution.recruitment import active_by_openid
        from commerce.privacy.services import erase_personal_data

        settled_balance(db, 2 * BIG * 10)
        with db.uow() as uow, pytest.raises(RealNameRequired) as err:
            payouts.withdraw(uow, "oB", BIG, PayoutMethod.WECHAT, POLICY)
        assert err.value.amount_fen == BIG
        with db.uow() as uow:
            payouts.withdraw(uow, "oB", 199_999, PayoutMethod.WECHAT, POLICY)  # ¥1,999.99: no name needed
            payouts.save_payout_name(uow, "oB", "张三", consent=True)
            uow.commit()
        with db.uow() as uow:
            d = active_by_openid(uow, "oB")
            raw = uow.session.execute(text("SELECT payout_real_name FROM distributors WHERE id = :i"), {"i": d.id})
            assert "张三" not in str(raw.scalar()) and d.payout_real_name == "张三"
            payouts.withdraw(uow, "oB", BIG, PayoutMethod.WECHAT, POLICY)  # reused: no question this time
            uow.commit()
        with db.uow() as uow:
            erase_personal_data(uow, "oB")
            uow.commit()
        with db.uow() as uow:
            assert active_by_openid(uow, "oB").payout_real_name is None

    def test_the_sandbox_refuses_a_2000_yuan_bill_without_user_name_or_with_one_it_cannot_decrypt(
            self, site: Site) -> None:
        def create(body: dict[str, object], serial: str = SANDBOX_SERIAL) -> tuple[int, dict[str, object]]:
            base = {"appid": "wx", "out_bill_no": "PO1", "transfer_scene_id": "1005", "openid": "oB",
                    "transfer_remark": "佣金"}
            return site.sandbox.create({**base, **body}, serial)

        status, answer = create({"transfer_amount": 200_000})
        assert status == 400 and answer["code"] == "PARAM_ERROR" and "user_name" in str(answer["message"])
        status, answer = create({"transfer_amount": 200_000, "user_name": "5byg5LiJ"})
        assert status == 400 and "解密" in str(answer["message"])
        status, answer = create({"transfer_amount": 20, "user_name": "x"})
        assert status == 400 and "0.3" in str(answer["message"])
