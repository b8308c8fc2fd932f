from __future__ import annotations

import logging

import pytest

from siyu.distribution import policy_from_settings
from siyu.settings import DistributionSettings, SettingsError, load_settings


def _levels(*bps: int) -> list[dict[str, int]]:
    return [{"rate_bp": bp} for bp in bps]


class TestStartUpGuard:
    def test_a_fourth_level_in_config_stops_start_up(self) -> None:
        with pytest.raises(SettingsError, match="levels"):
            load_settings(distribution={"levels": _levels(100, 100, 100, 100), "acknowledge_third_level": True})

    def test_a_third_level_without_acknowledgement_stops_start_up(self) -> None:
        with pytest.raises(SettingsError, match="acknowledge_third_level"):
            load_settings(distribution={"levels": _levels(1000, 500, 100)})

    def test_an_acknowledged_third_level_starts_with_a_warning(self, caplog: pytest.LogCaptureFixture) -> None:
        with caplog.at_level(logging.WARNING):
            s = DistributionSettings(levels=_levels(1000, 500, 100), acknowledge_third_level=True)
            assert policy_from_settings(s).max_levels == 3
        assert "3rd commission level" in caplog.text

    def test_the_shipped_config_builds_a_two_level_policy_with_lessons(self) -> None:
        policy = policy_from_settings(load_settings().distribution)
        assert policy.levels_bp == (1000, 500) and policy.lessons and policy.lessons[0].quiz

    def test_team_rewards_on_one_level_reach_depth_two(self) -> None:
        s = DistributionSettings(levels=_levels(1000), team_rewards_enabled=True,
                                 team_reward_tiers=[{"min_team_sales_fen": 100, "rate_bp": 100}])
        assert policy_from_settings(s).reward_depth == 2

    def test_a_bad_override_stops_start_up(self) -> None:
        with pytest.raises(SettingsError, match="overrides"):
            policy_from_settings(DistributionSettings(overrides=[{"levels_bp": [100]}]))
