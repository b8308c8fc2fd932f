"""Distribution wiring: settings → `DistributionPolicy`, event subscriptions, payout gateway, routes.

`commerce` never reads settings; this module is the only place that knows both.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from commerce.distribution.errors import PolicyRejected
from commerce.distribution.policy import (
    BindingRule,
    DistributionPolicy,
    Grade,
    JoinMode,
    Lesson,
    QuizQuestion,
    RateOverride,
    SuspendedFrozenRule,
    TeamTier,
)
from siyu.settings import DistributionSettings, SettingsError

if TYPE_CHECKING:
    from siyu.container import Container

log = logging.getLogger("siyu.distribution")


def _lessons(s: DistributionSettings) -> tuple[Lesson, ...]:
    return tuple(
        Lesson(
            key=ls.key, title=ls.title, text=ls.text, link=ls.link, basic=ls.basic,
            quiz=tuple(QuizQuestion(q.question, tuple(q.options), q.answer) for q in ls.quiz),
        )
        for ls in s.lessons
    )


def policy_from_settings(s: DistributionSettings) -> DistributionPolicy:
    """Build and validate the policy; an invalid one stops start-up with a one-line message."""
    policy = DistributionPolicy(
        levels_bp=tuple(lv.rate_bp for lv in s.levels),
        acknowledge_third_level=s.acknowledge_third_level,
        enabled=s.enabled,
        mode=JoinMode(s.mode),
        auto_approve=s.auto_approve,
        binding=BindingRule(s.binding),
        binding_days=s.binding_days,
        self_purchase_commission=s.self_purchase_commission,
        commission_on_seckill=s.commission_on_seckill,
        commission_on_points=s.commission_on_points,
        freeze_days=s.freeze_days,
        suspended_frozen=SuspendedFrozenRule(s.suspended_frozen),
        overrides=tuple(
            RateOverride(tuple(o.levels_bp), tuple(o.fixed_fen), o.sku_id, o.product_id, o.category)
            for o in s.overrides
        ),
        grades=tuple(Grade(g.name, g.label, g.min_own_sales_fen, tuple(g.levels_bp)) for g in s.grades),
        team_rewards_enabled=s.team_rewards_enabled,
        team_tiers=tuple(TeamTier(t.min_team_sales_fen, t.rate_bp) for t in s.team_reward_tiers),
        withdraw_min_fen=s.withdraw_min_fen,
        withdraw_daily_cap_fen=s.withdraw_daily_cap_fen,
        withdraw_fee_bp=s.withdraw_fee_bp,
        auto_approve_payout_below_fen=s.auto_approve_payout_below_fen,
        lessons=_lessons(s),
        require_training_before_payout=s.require_training_before_payout,
        extra=dict(s.extra),
    )
    try:
        policy.validate()
    except PolicyRejected as exc:
        raise SettingsError(f"配置错误 / invalid setting `distribution.{exc.field}`: {exc.reason}") from None
    if policy.max_levels == 3:
        log.warning("distribution: 3 commission levels configured (acknowledged) / 已配置三级佣金，合规检查会标记")
    return policy


def register_subscriptions(c: Container) -> None:
    """Commission follows paid/delivered/refunded/cancelled orders inside their transaction."""
    from commerce.distribution import subscriptions

    policy = policy_from_settings(c.settings.distribution)
    subscriptions.register(lambda: policy)
