"""The distribution policy: a plain frozen value the composition root builds from settings.

`commerce` never reads settings; `siyu/distribution.py` turns `DistributionSettings`
into a `DistributionPolicy` and hands it to the services.  `validate()` repeats the
compliance guard (1–2 levels, a 3rd only with acknowledgement, never more; rates
never over 100%) so a policy built by hand in a test or a script is held to the
same rules as one built from config.yml.

Depth: level 1 is the distributor the buyer is bound to, level 2 that
distributor's referrer, and so on.  A team reward reaches the leader of the
distributor who made the sale, i.e. depth 2, and is counted with the commission
levels by `reward_depth`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from commerce.distribution.errors import PolicyRejected

MAX_LEVELS = 3
MAINSTREAM_LEVELS = 2
TEAM_REWARD_DEPTH = 2
FULL_BP = 10_000


class JoinMode(StrEnum):
    OPEN = "open"  # 人人分销
    REVIEW = "review"  # 指定分销: application reviewed by the merchant
    INVITE = "invite"  # merchant invitation code


class BindingRule(StrEnum):
    FIRST_TOUCH = "first_touch"
    LAST_TOUCH = "last_touch"


class SuspendedFrozenRule(StrEnum):
    KEEP = "keep"  # frozen commission is released as usual
    HOLD = "hold"  # stays frozen until the distributor is resumed
    FORFEIT = "forfeit"  # clawed back at suspension


@dataclass(frozen=True)
class RateOverride:
    """Per-product, per-SKU or per-category commission.

    Exactly one target (sku_id, product_id or category path prefix).  Either
    `levels_bp` (a rate per level) or `fixed_fen` (fen per unit per level).
    """

    levels_bp: tuple[int, ...] = ()
    fixed_fen: tuple[int, ...] = ()
    sku_id: int | None = None
    product_id: int | None = None
    category: str = ""


@dataclass(frozen=True)
class Grade:
    """A distributor grade (初级/高级): reached by the distributor's OWN sales, never by recruiting."""

    name: str
    label: str
    min_own_sales_fen: int
    levels_bp: tuple[int, ...]


@dataclass(frozen=True)
class TeamTier:
    min_team_sales_fen: int
    rate_bp: int


@dataclass(frozen=True)
class QuizQuestion:
    question: str
    options: tuple[str, ...]
    answer: int  # index into options


@dataclass(frozen=True)
class Lesson:
    key: str
    title: str
    text: str
    link: str = ""
    basic: bool = True
    quiz: tuple[QuizQuestion, ...] = ()


@dataclass(frozen=True)
class DistributionPolicy:
    levels_bp: tuple[int, ...] = (1000, 500)
    acknowledge_third_level: bool = False
    enabled: bool = True
    mode: JoinMode = JoinMode.OPEN
    auto_approve: bool = True
    binding: BindingRule = BindingRule.FIRST_TOUCH
    binding_days: int = 0  # 0 = permanent
    self_purchase_commission: bool = False
    commission_on_seckill: bool = False
    commission_on_points: bool = False
    freeze_days: int = 7
    suspended_frozen: SuspendedFrozenRule = SuspendedFrozenRule.HOLD
    overrides: tuple[RateOverride, ...] = ()
    grades: tuple[Grade, ...] = ()
    team_rewards_enabled: bool = False
    team_tiers: tuple[TeamTier, ...] = ()
    withdraw_min_fen: int = 100
    withdraw_daily_cap_fen: int = 500_000
    withdraw_fee_bp: int = 0
    auto_approve_payout_below_fen: int = 20_000
    lessons: tuple[Lesson, ...] = ()
    require_training_before_payout: bool = False
    extra: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    @property
    def max_levels(self) -> int:
        return len(self.levels_bp)

    @property
    def reward_depth(self) -> int:
        """How far up from the buyer any reward reaches (commission levels and team rewards together)."""
        team = TEAM_REWARD_DEPTH if self.team_rewards_enabled else 0
        return max(self.max_levels, team)

    @property
    def allowed_depth(self) -> int:
        return MAX_LEVELS if self.acknowledge_third_level else MAINSTREAM_LEVELS

    def validate(self) -> DistributionPolicy:
        _check_depth(self)
        _check_rates("levels", self.levels_bp)
        for grade in self.grades:
            _check_rates(f"grade {grade.name}", grade.levels_bp)
        for ov in self.overrides:
            _check_override(ov)
        for tier in self.team_tiers:
            if not 0 <= tier.rate_bp <= FULL_BP or tier.min_team_sales_fen < 0:
                raise PolicyRejected("team_tiers", "tier rate must be 0–100% and threshold ≥ 0")
        return self


def _check_depth(p: DistributionPolicy) -> None:
    if not 1 <= p.max_levels <= MAX_LEVELS:
        raise PolicyRejected("levels", f"1 to {MAX_LEVELS} levels, got {p.max_levels}")
    if p.reward_depth > p.allowed_depth:
        raise PolicyRejected(
            "levels", f"rewards reach depth {p.reward_depth}; > {MAINSTREAM_LEVELS} needs acknowledge_third_level"
        )


def _check_rates(what: str, rates: tuple[int, ...]) -> None:
    if any(r < 0 for r in rates) or sum(rates) > FULL_BP:
        raise PolicyRejected(what, "rates must be ≥ 0 and sum to at most 100%")


def _check_override(ov: RateOverride) -> None:
    targets = [ov.sku_id is not None, ov.product_id is not None, bool(ov.category)]
    if sum(targets) != 1:
        raise PolicyRejected("overrides", "each override names exactly one of sku_id, product_id, category")
    if bool(ov.levels_bp) == bool(ov.fixed_fen):
        raise PolicyRejected("overrides", "each override has either levels_bp or fixed_fen")
    _check_rates("override", ov.levels_bp)
    if any(f < 0 for f in ov.fixed_fen):
        raise PolicyRejected("overrides", "fixed commission must be ≥ 0")
