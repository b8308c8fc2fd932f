"""Beat jobs and the Celery app of this process.

`config.yml` → `celery.beat_schedule` names jobs through the one generic task:
`{task: worker.run_job, schedule: 60, args: [expire_unpaid_orders]}`.  Each job
runs one commerce use case in its own unit of work and returns a small,
JSON-friendly summary.  All are idempotent (re-running after a crash is safe):
expiry skips what is already cancelled, release flips only what is due,
settlement is keyed by its period.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from commerce.db import Database

if TYPE_CHECKING:
    from siyu.container import Container

log = logging.getLogger("siyu.jobs")

Job = Callable[..., Any]


def expire_unpaid_orders(db: Database) -> int:
    from commerce.orders.services import expire_unpaid

    with db.uow() as uow:
        count = expire_unpaid(uow)
        uow.commit()
    if count:
        log.info("expired %d unpaid order(s) / 已取消 %d 笔超时未付订单", count, count)
    return count


def release_frozen_commission(db: Database, policy: Any) -> int:
    from commerce.distribution.ledger import release_frozen

    with db.uow() as uow:
        count = release_frozen(uow, policy)
        uow.commit()
    if count:
        log.info("released %d commission entr(ies) past the after-sale window / 解冻佣金 %d 笔", count, count)
    return count


def retry_transfers(c: Container) -> int:
    """Approved WeChat payouts whose transfer-bills call failed (API down) are sent again."""
    from commerce.distribution.payouts import transfers_to_retry

    with c.db.uow() as uow:
        pending = transfers_to_retry(uow)
    for payout_no in pending:
        c.distribution.process_payout(payout_no)
    if pending:
        log.info("retried %d payout transfer(s) / 重试转账 %d 笔", len(pending), len(pending))
    return len(pending)


def reconcile_payouts(c: Container, older_than_minutes: float | None = None) -> dict[str, int]:
    """WeChat payouts processing for a while without a callback: query WeChat Pay, apply the result."""
    from datetime import timedelta

    from commerce.distribution.payout_reconcile import stale_transfers

    minutes = c.settings.pay.transfer.reconcile_after_minutes if older_than_minutes is None else older_than_minutes
    with c.db.uow() as uow:
        stale = stale_transfers(uow, timedelta(minutes=minutes))
    counts: dict[str, int] = {}
    for payout_no in stale:
        outcome = c.distribution.reconcile_payout(payout_no)
        counts[outcome] = counts.get(outcome, 0) + 1
    if stale:
        log.info("reconciled %d payout(s) without a callback: %s / 核对转账 %d 笔", len(stale), counts, len(stale))
    return counts


def run_in_uow(db: Database, use_case: Callable[..., int], what: str) -> int:
    """One commerce use case that returns a count, in its own unit of work."""
    with db.uow() as uow:
        count = use_case(uow)
        uow.commit()
    if count:
        log.info("%s: %d", what, count)
    return count


def settle_commission(db: Database, policy: Any, kind: str) -> dict[str, Any]:
    from commerce.distribution.settlement import KINDS, settle
    from commerce.distribution.team import award_team_rewards

    if kind not in KINDS:
        raise ValueError(f"settle needs weekly or monthly, got {kind!r}")
    with db.uow() as uow:
        result = settle(uow, kind, policy, team_rewarder=award_team_rewards)
        uow.commit()
    log.info("settlement %s: %s, %d entries, %d fen", result.period_key,
             "created" if result.created else "already done", result.entry_count, result.total_fen)
    return {"period": result.period_key, "created": result.created, "entries": result.entry_count,
            "total_fen": result.total_fen}


def build_jobs(c: Container) -> dict[str, Job]:
    """name → callable, for `worker.run_job` (the container is the worker runtime)."""
    from siyu.distribution import policy_from_settings

    policy = policy_from_settings(c.settings.distribution)
    return {
        "expire_unpaid_orders": lambda: expire_unpaid_orders(c.db),
        "release_frozen_commission": lambda: release_frozen_commission(c.db, policy),
        "settle": lambda kind="weekly": settle_commission(c.db, policy, kind),
        "retry_transfers": lambda: retry_transfers(c),
        "process_payout": lambda payout_no: c.distribution.process_payout(payout_no),
        "reconcile_payouts": lambda: reconcile_payouts(c),
        "finish_pending_erasures": lambda: run_in_uow(
            c.db, _lazy("commerce.privacy.services", "finish_pending_erasures"),
            "redacted finished orders of erased customers / 已脱敏注销用户的完结订单"),
        "sync_refunds": lambda: run_in_uow(
            c.db, _lazy("commerce.aftersale.outcomes", "sync_refunds"),
            "after-sale requests brought in line with refunds / 售后单与退款结果对齐"),
    }


def _lazy(module: str, name: str) -> Callable[..., int]:
    import importlib

    fn: Callable[..., int] = getattr(importlib.import_module(module), name)
    return fn


def build_celery(c: Container) -> Any:
    """The process's Celery app; installs the container as the worker runtime (eager tasks need it too)."""
    from worker.app import create_celery
    from worker.runtime import set_runtime

    s = c.settings
    app = create_celery(s.celery.broker_url, s.celery_eager, s.celery.beat_schedule, queue=s.celery.queue)
    set_runtime(c)
    return app
