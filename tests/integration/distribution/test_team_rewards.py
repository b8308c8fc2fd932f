from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from commerce import clock
from commerce.db import Database
from commerce.distribution.ledger import balances
from commerce.distribution.ledger_model import CommissionEntry, EntryReason
from commerce.distribution.policy import TeamTier
from commerce.distribution.settlement import settle
from commerce.distribution.team import award_team_rewards, tier_for
from tests.integration.distribution.builders import POLICY, chain, pay

TEAM = replace(POLICY, team_rewards_enabled=True,
               team_tiers=(TeamTier(10_000, 100), TeamTier(1_000_000, 200)))


def test_the_highest_reached_tier_applies() -> None:
    assert tier_for(9_999, TEAM.team_tiers) is None
    assert tier_for(10_000, TEAM.team_tiers) == TeamTier(10_000, 100)
    assert tier_for(2_000_000, TEAM.team_tiers) == TeamTier(1_000_000, 200)


def test_a_leader_earns_a_monthly_reward_on_the_teams_goods_sales_settled_monthly(db: Database) -> None:
    a, b, c = chain(db, "oA", "oB", "oC", policy=TEAM)  # b is in a's team; c buys through b
    with db.uow() as uow:
        pay(uow, c.customer_id, 50_000, policy=TEAM)
        uow.commit()
    clock.advance(days=35)  # next month
    with db.uow() as uow:
        result = settle(uow, "monthly", TEAM, key="monthly:test", team_rewarder=award_team_rewards)
        assert award_team_rewards(uow, TEAM, clock.now()) == 0  # once per month and leader
        uow.commit()
        reward = uow.session.scalar(select(CommissionEntry).where(CommissionEntry.reason == EntryReason.TEAM_REWARD))
        assert reward is not None
        assert (reward.distributor_id, reward.amount_fen, reward.base_fen, reward.level) == (a.id, 500, 50_000, 2)
        assert balances(uow, a.id).withdrawable_fen == 500 and result.entry_count == 1
        assert balances(uow, b.id).frozen_fen == 5_000  # b's own commission still frozen (not delivered)


def test_team_rewards_are_off_by_default(db: Database) -> None:
    _, _, c = chain(db, "oA", "oB", "oC")
    with db.uow() as uow:
        pay(uow, c.customer_id, 50_000)
        clock.advance(days=35)
        assert award_team_rewards(uow, POLICY, clock.now()) == 0
