"""Read models for 我的推广 / 我的团队: counts and sums, China-time periods."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select

from commerce.clock import CHINA_TZ, now
from commerce.db import UnitOfWork
from commerce.distribution.ledger_model import CommissionEntry, EntryReason
from commerce.distribution.model import Distributor, DistributorStatus, ReferralBinding, ReferralVisit
from commerce.distribution.team import team_sales


@dataclass(frozen=True)
class PromotionStats:
    visits_today: int
    visits_week: int
    visits_month: int
    referrals: int
    orders: int


@dataclass(frozen=True)
class TeamSummary:
    members: int
    month_sales_fen: int


def _starts() -> tuple[datetime, datetime, datetime]:
    today = now().astimezone(CHINA_TZ).date()
    day = datetime.combine(today, time(0), CHINA_TZ)
    week = day - timedelta(days=today.weekday())
    month = day.replace(day=1)
    return day.astimezone(UTC), week.astimezone(UTC), month.astimezone(UTC)


def promotion_stats(uow: UnitOfWork, distributor_id: int) -> PromotionStats:
    day, week, month = _starts()
    visits = [
        int(uow.session.scalar(select(func.count()).select_from(ReferralVisit).where(
            ReferralVisit.distributor_id == distributor_id, ReferralVisit.at >= since)) or 0)
        for since in (day, week, month)
    ]
    referrals = uow.session.scalar(select(func.count()).select_from(ReferralBinding).where(
        ReferralBinding.distributor_id == distributor_id, ReferralBinding.ended_at.is_(None))) or 0
    orders = uow.session.scalar(select(func.count(func.distinct(CommissionEntry.order_id))).where(
        CommissionEntry.distributor_id == distributor_id, CommissionEntry.reason == EntryReason.COMMISSION)) or 0
    return PromotionStats(visits[0], visits[1], visits[2], int(referrals), int(orders))


def team_summary(uow: UnitOfWork, distributor_id: int) -> TeamSummary:
    """Direct referrals who are active distributors, and their goods sales this month."""
    leader_customer = select(Distributor.customer_id).where(Distributor.id == distributor_id).scalar_subquery()
    members = uow.session.scalar(
        select(func.count()).select_from(Distributor)
        .join(ReferralBinding, ReferralBinding.customer_id == Distributor.customer_id)
        .where(ReferralBinding.distributor_id == distributor_id, ReferralBinding.ended_at.is_(None),
               Distributor.status == DistributorStatus.ACTIVE, Distributor.customer_id != leader_customer)
    ) or 0
    _, _, month = _starts()
    sales = team_sales(uow, month, now() + timedelta(seconds=1)).get(distributor_id, 0)
    return TeamSummary(int(members), int(sales))
