"""Team performance rewards (团队奖励): off by default, monthly, one level only.

A distributor's team is their direct referrals who are distributors.  Team sales
for a month = goods sales credited to team members as level-1 commission base
(net of refunds) in that month.  The leader gets `rate_bp` of that if it reaches a
tier.  Never head-count, sign-ups or fees; the leader sits at depth 2 from the
buyer, which the policy's depth guard counts together with the commission levels.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from sqlalchemy import case, func, select

from commerce.clock import CHINA_TZ
from commerce.db import UnitOfWork
from commerce.distribution.ledger import add_entries
from commerce.distribution.ledger_model import CommissionEntry, EntryReason, EntryState
from commerce.distribution.model import Distributor, DistributorStatus, ReferralBinding
from commerce.distribution.policy import TEAM_REWARD_DEPTH, DistributionPolicy, TeamTier
from commerce.money import apply_rate_bp


def previous_month(at: datetime) -> tuple[str, datetime, datetime]:
    local = at.astimezone(CHINA_TZ)
    end = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    start = (end.replace(year=end.year - 1, month=12) if end.month == 1 else end.replace(month=end.month - 1))
    return f"{start.year}-{start.month:02d}", start.astimezone(UTC), end.astimezone(UTC)


def tier_for(sales_fen: int, tiers: tuple[TeamTier, ...]) -> TeamTier | None:
    reached = [t for t in tiers if sales_fen >= t.min_team_sales_fen and sales_fen > 0]
    return max(reached, key=lambda t: t.min_team_sales_fen, default=None)


def team_sales(uow: UnitOfWork, start: datetime, end: datetime) -> dict[int, int]:
    """Leader distributor id → their direct team's net goods sales in [start, end)."""
    signed = case((CommissionEntry.reason == EntryReason.COMMISSION, CommissionEntry.base_fen),
                  else_=-CommissionEntry.base_fen)
    member_sales = dict(uow.session.execute(
        select(CommissionEntry.distributor_id, func.sum(signed))
        .where(CommissionEntry.level == 1, CommissionEntry.reason.in_([EntryReason.COMMISSION, EntryReason.CLAWBACK]),
               CommissionEntry.created_at >= start, CommissionEntry.created_at < end)
        .group_by(CommissionEntry.distributor_id)
    ).tuples().all())
    if not member_sales:
        return {}
    leaders = uow.session.execute(
        select(Distributor.id, ReferralBinding.distributor_id)
        .join(ReferralBinding, ReferralBinding.customer_id == Distributor.customer_id)
        .where(ReferralBinding.ended_at.is_(None), Distributor.id.in_(list(member_sales)))
    ).tuples().all()
    out: dict[int, int] = defaultdict(int)
    for member, leader in leaders:
        out[leader] += int(member_sales[member] or 0)
    return dict(out)


def award_team_rewards(uow: UnitOfWork, policy: DistributionPolicy, at: datetime) -> int:
    """Write last month's team rewards as available entries (idempotent per month and leader)."""
    if not policy.team_rewards_enabled or not policy.team_tiers:
        return 0
    month, start, end = previous_month(at)
    sales = team_sales(uow, start, end)
    active = set(uow.session.scalars(select(Distributor.id).where(
        Distributor.id.in_(list(sales)), Distributor.status == DistributorStatus.ACTIVE)))
    entries = []
    for leader, fen in sorted(sales.items()):
        tier = tier_for(fen, policy.team_tiers)
        amount = apply_rate_bp(fen, tier.rate_bp) if tier is not None and leader in active else 0
        if amount > 0 and tier is not None:
            entries.append(CommissionEntry(
                distributor_id=leader, amount_fen=amount, state=EntryState.AVAILABLE, reason=EntryReason.TEAM_REWARD,
                idempotency_key=f"t:{month}:{leader}", level=TEAM_REWARD_DEPTH, base_fen=fen, rate_bp=tier.rate_bp,
                ref=f"team:{month}",
            ))
    return len(add_entries(uow, entries))
