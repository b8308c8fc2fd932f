from __future__ import annotations

import logging
from pathlib import Path

import pytest

from commerce import events
from siyu.container import boot
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

    def test_an_acknowledged_third_level_starts_with_one_warning(
        self, caplog: pytest.LogCaptureFixture, tmp_path: Path
    ) -> None:
        """Settings validation, boot, the container's wiring, the beat jobs and the CLI all build the
        policy; only start-up (boot) warns, once."""
        with caplog.at_level(logging.WARNING):
            s = load_settings(data_dir=tmp_path, distribution={"levels": _levels(1000, 500, 100),
                                                               "acknowledge_third_level": True})
            c = boot(s, logging_on=False)
            try:
                assert c.distribution.policy.max_levels == 3
                assert policy_from_settings(s.distribution).max_levels == 3
                assert c.jobs
            finally:
                c.close()
                events.clear()
        warnings = [r for r in caplog.records if "3rd commission level" in r.getMessage()]
        assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING

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
