"""The compliance audit behind `siyu compliance check`: configuration and data, rule by rule.

Each rule returns PASS, WARN (allowed but flagged, e.g. an acknowledged 3rd level)
or FAIL.  Rules follow 禁止传销条例 art. 7 (no head-count pay, no entry fee, no
multi-tier team pay) and PIPL (personal data encrypted at rest).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, or_, select, text

from commerce.db import Base, UnitOfWork
from commerce.distribution.ledger_model import CommissionEntry, EntryReason
from commerce.distribution.model import Distributor, ReferralBinding
from commerce.distribution.policy import FULL_BP, MAINSTREAM_LEVELS, DistributionPolicy
from commerce.orders.model import Order
from commerce.privacy.crypto import PREFIX, EncryptedString

REWARD_REASONS = (EntryReason.COMMISSION, EntryReason.TEAM_REWARD)
FEE_WORDS = ("fee", "entry", "purchase", "threshold", "入门", "门槛")


class Verdict(StrEnum):
    PASS = "PASS"
    WARN = "WARN"
    FAIL = "FAIL"


@dataclass(frozen=True)
class CheckResult:
    rule: str
    verdict: Verdict
    detail: str


def check_config_depth(uow: UnitOfWork, p: DistributionPolicy) -> CheckResult:
    rule = "configured reward depth ≤ 2 (3 only acknowledged)"
    if p.reward_depth > p.allowed_depth:
        return CheckResult(rule, Verdict.FAIL, f"depth {p.reward_depth} without acknowledgement")
    if p.reward_depth > MAINSTREAM_LEVELS:
        return CheckResult(rule, Verdict.WARN, f"3rd level configured (acknowledged): {p.levels_bp}")
    return CheckResult(rule, Verdict.PASS, f"levels {list(p.levels_bp)}, team rewards {p.team_rewards_enabled}")


def check_paid_depth(uow: UnitOfWork, p: DistributionPolicy) -> CheckResult:
    rule = "commission depth actually paid"
    deepest = int(uow.session.scalar(select(func.coalesce(func.max(CommissionEntry.level), 0)).where(
        CommissionEntry.reason.in_(REWARD_REASONS))) or 0)
    if deepest > p.allowed_depth:
        return CheckResult(rule, Verdict.FAIL, f"rewards paid at depth {deepest}")
    if deepest > MAINSTREAM_LEVELS:
        return CheckResult(rule, Verdict.WARN, f"rewards paid at depth {deepest} (acknowledged)")
    return CheckResult(rule, Verdict.PASS, f"deepest paid level {deepest}")


def check_rewards_tied_to_sales(uow: UnitOfWork, p: DistributionPolicy) -> CheckResult:
    rule = "every reward comes from a paid order (no head-count pay)"
    untied = uow.session.scalar(
        select(func.count()).select_from(CommissionEntry)
        .outerjoin(Order, Order.id == CommissionEntry.order_id)
        .where(CommissionEntry.reason == EntryReason.COMMISSION, or_(Order.id.is_(None), Order.paid_at.is_(None)))
    ) or 0
    baseless = uow.session.scalar(select(func.count()).select_from(CommissionEntry).where(
        CommissionEntry.reason == EntryReason.TEAM_REWARD, CommissionEntry.base_fen <= 0)) or 0
    known = [r.value for r in EntryReason]
    odd = uow.session.scalar(select(func.count()).select_from(CommissionEntry).where(
        CommissionEntry.reason.not_in(known))) or 0
    if untied or baseless or odd:
        return CheckResult(rule, Verdict.FAIL, f"{untied} commissions without a paid order, {baseless} team "
                                               f"rewards without sales, {odd} entries of unknown kind")
    return CheckResult(rule, Verdict.PASS, "all commission entries reference paid orders")


def check_free_to_join(uow: UnitOfWork, p: DistributionPolicy) -> CheckResult:
    rule = "nobody paid to join (no entry fee, no purchase threshold)"
    paid = uow.session.scalar(select(func.count()).select_from(Distributor).where(Distributor.join_fee_fen != 0)) or 0
    suspicious = [k for k in p.extra if any(w in k.lower() for w in FEE_WORDS)]
    if paid or suspicious:
        return CheckResult(rule, Verdict.FAIL, f"{paid} distributors paid to join; settings {suspicious}")
    return CheckResult(rule, Verdict.PASS, "joining is free for every distributor")


def check_binding_cycles(uow: UnitOfWork, p: DistributionPolicy) -> CheckResult:
    rule = "no referral binding cycles"
    rows = uow.session.execute(
        select(Distributor.id, ReferralBinding.distributor_id)
        .join(ReferralBinding, ReferralBinding.customer_id == Distributor.customer_id)
        .where(ReferralBinding.ended_at.is_(None))
    ).tuples().all()
    parent = dict(rows)
    cyclic = sorted(d for d in parent if _in_cycle(d, parent))
    if cyclic:
        return CheckResult(rule, Verdict.FAIL, f"distributors in a cycle: {cyclic[:10]}")
    return CheckResult(rule, Verdict.PASS, f"{len(parent)} bound distributors, no cycle")


def _in_cycle(start: int, parent: dict[int, int]) -> bool:
    seen: set[int] = set()
    node: int | None = start
    while node is not None and node not in seen:
        seen.add(node)
        node = parent.get(node)
        if node == start:
            return True
    return False


def check_rates(uow: UnitOfWork, p: DistributionPolicy) -> CheckResult:
    rule = "commission rates sum to at most 100%"
    sets = {"levels": p.levels_bp, **{f"grade {g.name}": g.levels_bp for g in p.grades},
            **{f"override {i + 1}": o.levels_bp for i, o in enumerate(p.overrides)}}
    over = [name for name, rates in sets.items() if sum(rates) > FULL_BP]
    if over:
        return CheckResult(rule, Verdict.FAIL, f"over 100%: {over}")
    return CheckResult(rule, Verdict.PASS, f"highest sum {max(sum(r) for r in sets.values()) / 100:g}%")


def encrypted_columns() -> list[tuple[str, str]]:
    return [(t.name, c.name) for t in Base.metadata.sorted_tables for c in t.columns
            if isinstance(c.type, EncryptedString)]


def check_personal_data(uow: UnitOfWork, p: DistributionPolicy) -> CheckResult:
    rule = "personal data encrypted at rest"
    bad: list[str] = []
    for table, column in encrypted_columns():
        n = uow.session.execute(text(
            f'SELECT COUNT(*) FROM "{table}" WHERE "{column}" IS NOT NULL AND "{column}" NOT LIKE :prefix'
        ), {"prefix": PREFIX + ":%"}).scalar_one()
        if n:
            bad.append(f"{table}.{column}×{n}")
    if bad:
        return CheckResult(rule, Verdict.FAIL, "plaintext values: " + ", ".join(bad))
    return CheckResult(rule, Verdict.PASS, f"{len(encrypted_columns())} encrypted columns, all prefixed {PREFIX}:")


RULES: tuple[Callable[[UnitOfWork, DistributionPolicy], CheckResult], ...] = (
    check_config_depth, check_paid_depth, check_rewards_tied_to_sales, check_free_to_join,
    check_binding_cycles, check_rates, check_personal_data,
)


def run_checks(uow: UnitOfWork, policy: DistributionPolicy) -> list[CheckResult]:
    return [rule(uow, policy) for rule in RULES]
