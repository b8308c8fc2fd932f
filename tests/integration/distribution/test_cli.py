from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from commerce.db import Database
from commerce.distribution.ledger import mark_delivered
from siyu.cli import app
from siyu.dbsetup import create_all
from tests.conftest import TEST_KEYS
from tests.integration.distribution.builders import POLICY, chain, pay


@pytest.fixture
def demo_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("SIYU_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SIYU_DATABASE__URL", url)
    monkeypatch.setenv("SIYU_MODE", "demo")
    monkeypatch.setenv("SIYU_PRIVACY__KEYS", TEST_KEYS)  # the CLI must read what the test wrote
    database = Database.from_url(url)
    create_all(database)
    return database


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


class TestSettleCommand:
    def test_settle_weekly_is_idempotent_and_demo_time_persists(self, demo_env: Database) -> None:
        _, b, c = chain(demo_env, "oA", "oB", "oC")
        with demo_env.uow() as uow:
            order = pay(uow, c.customer_id, 10_000)
            mark_delivered(uow, order.order_id, POLICY)
            uow.commit()
        code, out = run("demo-time", "advance", "--days", "8")
        assert code == 0 and "released 2" in out
        code, out = run("settle", "weekly")
        assert code == 0 and "2 entries" in out and "15.00" in out
        code, out = run("settle", "weekly")
        assert code == 0 and "nothing done" in out
        run("demo-time", "reset")

    def test_an_unknown_period_is_refused(self, demo_env: Database) -> None:
        code, out = run("settle", "daily")
        assert code == 2 and "weekly" in out

    def test_demo_time_refuses_outside_demo_mode(self, demo_env: Database, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("SIYU_MODE", "production")
        monkeypatch.setenv("SIYU_PRIVACY__KEYS", "k1:" + "A" * 43 + "=")
        code, _ = run("demo-time", "advance", "--days", "1")
        assert code == 2


class TestDistributorCommands:
    def test_the_merchant_suspends_and_resumes_by_code(self, demo_env: Database) -> None:
        (a,) = chain(demo_env, "oA")
        assert run("distributor", "suspend", a.code)[1].strip().endswith("suspended")
        assert run("distributor", "resume", a.code)[1].strip().endswith("active")
        code, out = run("distributor", "approve", a.code)
        assert code == 1 and "refused" in out


class TestPayoutCommands:
    def test_bank_payouts_are_exported_to_xlsx_and_marked_paid(self, demo_env: Database, tmp_path: Path) -> None:
        from openpyxl import load_workbook

        from commerce.distribution import payouts
        from commerce.distribution.payout_model import PayoutMethod
        from tests.integration.distribution.builders import settled_balance

        settled_balance(demo_env, 10_000)
        with demo_env.uow() as uow:
            payouts.save_bank_account(uow, "oB", holder_name="李四", card_no="6222000011112222",
                                      bank_name="工商银行", consent=True)
            no = payouts.withdraw(uow, "oB", 800, PayoutMethod.BANK, POLICY).payout_no
            uow.commit()
        out = tmp_path / "bank.xlsx"
        code, text = run("payout", "export", "--out", str(out))
        assert code == 0 and "exported 1" in text, text
        rows = list(load_workbook(out).active.iter_rows(values_only=True))
        assert rows[1][:5] == (no, "李四", "6222000011112222", "工商银行", "8.00")
        assert run("payout", "mark-paid", no)[1].strip().endswith("paid")
        assert run("payout", "mark-paid", no)[0] == 1

    def test_approve_only_approves_when_the_transfer_api_is_unreachable_and_reconcile_reports(
            self, demo_env: Database, monkeypatch: pytest.MonkeyPatch) -> None:
        from commerce.distribution import payouts
        from commerce.distribution.payout_model import PayoutMethod
        from tests.integration.distribution.builders import settled_balance

        monkeypatch.setenv("SIYU_PUBLIC_BASE_URL", "http://127.0.0.1:9")  # nothing listens: the call fails
        settled_balance(demo_env, 3_000_000)
        with demo_env.uow() as uow:
            no = payouts.withdraw(uow, "oB", 25_000, PayoutMethod.WECHAT, POLICY).payout_no  # above auto-approval
            uow.commit()
        code, out = run("payout", "approve", no)
        assert code == 0 and out.strip().endswith(f"{no}: approved"), out
        code, out = run("payout", "reconcile")
        assert code == 0 and "nothing to reconcile" in out
        code, out = run("payout", "process")
        assert code == 0 and "1" in out
        with demo_env.uow() as uow:
            assert payouts.find_payout(uow, no).state == "approved"


def test_cli_commands_reach_the_running_demo_at_its_recorded_address(
        demo_env: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from siyu.container import boot
    from siyu.demo import record_base_url

    monkeypatch.delenv("SIYU_PUBLIC_BASE_URL", raising=False)
    assert boot(logging_on=False).settings.public_base_url == "http://127.0.0.1:8000"
    record_base_url(tmp_path, "http://127.0.0.1:8161")  # what `siyu demo --port 8161` writes
    assert boot(logging_on=False).settings.public_base_url == "http://127.0.0.1:8161"
    monkeypatch.setenv("SIYU_PUBLIC_BASE_URL", "http://shop.example")
    assert boot(logging_on=False).settings.public_base_url == "http://shop.example"
    monkeypatch.setenv("SIYU_MODE", "production")
    monkeypatch.delenv("SIYU_PUBLIC_BASE_URL")
    assert boot(logging_on=False).settings.public_base_url == "http://127.0.0.1:8000"
