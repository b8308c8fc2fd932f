from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from commerce.db import Database
from commerce.distribution.compliance import Verdict, run_checks
from commerce.distribution.ledger_model import CommissionEntry, EntryReason
from commerce.distribution.policy import DistributionPolicy
from siyu.cli import app
from siyu.dbsetup import create_all
from tests.integration.distribution.builders import POLICY, chain


def _verdicts(db: Database, policy: DistributionPolicy = POLICY) -> dict[str, Verdict]:
    with db.uow() as uow:
        return {r.rule.split(" ")[0] + ":" + r.rule.split(" ")[1]: r.verdict for r in run_checks(uow, policy)}


def test_a_clean_shop_passes_every_rule(db: Database) -> None:
    chain(db, "oA", "oB", "oC")
    assert set(_verdicts(db).values()) == {Verdict.PASS}


def test_an_acknowledged_third_level_is_flagged(db: Database) -> None:
    v = _verdicts(db, DistributionPolicy(levels_bp=(1000, 500, 100), acknowledge_third_level=True))
    assert v["configured:reward"] == Verdict.WARN


def test_a_cycle_plaintext_personal_data_and_a_sign_up_bonus_fail(db: Database) -> None:
    a, b = chain(db, "oA", "oB")
    with db.uow() as uow:
        uow.session.execute(text("INSERT INTO referral_bindings (customer_id, distributor_id, source, scene, ended_reason, bound_at)"
                                 " VALUES (:c, :d, 'qr_scan', '', '', CURRENT_TIMESTAMP)"), {"c": a.customer_id, "d": b.id})
        uow.session.execute(text("UPDATE customers SET phone = '13800138000'"))
        uow.session.add(CommissionEntry(distributor_id=a.id, amount_fen=500, state="pending",
                                        reason=EntryReason.COMMISSION, idempotency_key="signup:1", level=1))
        uow.commit()
    v = _verdicts(db)
    assert v["no:referral"] == Verdict.FAIL
    assert v["personal:data"] == Verdict.FAIL
    assert v["every:reward"] == Verdict.FAIL


def test_the_command_passes_on_a_clean_shop_and_fails_on_an_unacknowledged_third_level(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    monkeypatch.setenv("SIYU_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SIYU_DATABASE__URL", url)
    create_all(Database.from_url(url))
    ok = CliRunner().invoke(app, ["compliance", "check"])
    assert ok.exit_code == 0, ok.output
    assert "FAIL" not in ok.output and "PASS" in ok.output
    cfg = tmp_path / "three.yml"
    cfg.write_text("distribution:\n  levels: [{rate_bp: 1000}, {rate_bp: 500}, {rate_bp: 100}]\n")
    monkeypatch.setenv("SIYU_CONFIG", str(cfg))
    bad = CliRunner().invoke(app, ["compliance", "check"])
    assert bad.exit_code == 1 and "FAIL" in bad.output and "acknowledge_third_level" in bad.output
