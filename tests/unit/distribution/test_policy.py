from __future__ import annotations

import pytest

from commerce.distribution.errors import PolicyRejected
from commerce.distribution.policy import DistributionPolicy, RateOverride, TeamTier


class TestDepthGuard:
    def test_two_levels_are_allowed(self) -> None:
        assert DistributionPolicy(levels_bp=(1000, 500)).validate().reward_depth == 2

    def test_a_third_level_needs_the_acknowledgement(self) -> None:
        with pytest.raises(PolicyRejected):
            DistributionPolicy(levels_bp=(1000, 500, 100)).validate()
        assert DistributionPolicy(levels_bp=(1000, 500, 100), acknowledge_third_level=True).validate()

    def test_a_fourth_level_is_always_refused(self) -> None:
        with pytest.raises(PolicyRejected):
            DistributionPolicy(levels_bp=(100, 100, 100, 100), acknowledge_third_level=True).validate()

    def test_team_rewards_count_with_commission_levels(self) -> None:
        p = DistributionPolicy(levels_bp=(1000,), team_rewards_enabled=True, team_tiers=(TeamTier(1_000_000, 100),))
        assert p.validate().reward_depth == 2


class TestRates:
    def test_rates_summing_over_100_percent_are_refused(self) -> None:
        with pytest.raises(PolicyRejected):
            DistributionPolicy(levels_bp=(6000, 5000)).validate()

    def test_an_override_needs_exactly_one_target_and_one_kind(self) -> None:
        with pytest.raises(PolicyRejected):
            DistributionPolicy(overrides=(RateOverride(levels_bp=(100,)),)).validate()
        with pytest.raises(PolicyRejected):
            DistributionPolicy(overrides=(RateOverride(levels_bp=(100,), fixed_fen=(1,), sku_id=1),)).validate()
