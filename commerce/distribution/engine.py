"""The commission engine: pure functions, no database.

Rules (written down once, here):

- The base of a line is `paid_fen`: the goods amount actually paid after discounts,
  coupons and points, excluding shipping.
- Level n (1 = the distributor the buyer is bound to) earns `base × rate_bp[n]`,
  rounded DOWN to the fen (`commerce.money.apply_rate_bp`), so the shop never pays
  a fraction of a fen above the configured rate.
- Rate precedence per line: SKU override > product override > category override
  (longest matching path prefix) > the recipient's grade > the level rates.
  A fixed override pays `fixed_fen[n] × quantity`, never more than the base.
- Lines of kind `seckill` or `points` pay nothing unless the policy says so.
- An inactive (suspended) beneficiary earns nothing; the levels above keep their
  own level number (the chain is never compressed, so depth never grows).
- The engine computes N levels generically but stops at the policy's level count;
  the sum paid on a line never exceeds its base.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from commerce.distribution.policy import DistributionPolicy, RateOverride
from commerce.money import apply_rate_bp

NO_COMMISSION_KINDS = {"seckill": "commission_on_seckill", "points": "commission_on_points"}


@dataclass(frozen=True)
class CommissionLine:
    line_id: int
    product_id: int
    category_path: str
    sku_id: int
    paid_fen: int
    kind: str = "normal"
    quantity: int = 1


@dataclass(frozen=True)
class CommissionInput:
    order_id: int
    buyer_customer_id: int
    lines: tuple[CommissionLine, ...]
    order_no: str = ""


@dataclass(frozen=True)
class Beneficiary:
    distributor_id: int
    level: int
    grade: str = ""
    active: bool = True


@dataclass(frozen=True)
class CommissionShare:
    distributor_id: int
    level: int
    line_id: int
    base_fen: int
    rate_bp: int  # 0 when fixed
    amount_fen: int


def line_pays_commission(line: CommissionLine, policy: DistributionPolicy) -> bool:
    flag = NO_COMMISSION_KINDS.get(line.kind)
    return line.paid_fen > 0 and (flag is None or bool(getattr(policy, flag)))


def find_override(line: CommissionLine, policy: DistributionPolicy) -> RateOverride | None:
    best: RateOverride | None = None
    best_rank = (-1, -1)
    for ov in policy.overrides:
        if ov.sku_id is not None and ov.sku_id == line.sku_id:
            rank = (3, 0)
        elif ov.product_id is not None and ov.product_id == line.product_id:
            rank = (2, 0)
        elif ov.category and _category_matches(ov.category, line.category_path):
            rank = (1, len(ov.category))
        else:
            continue
        if rank > best_rank:
            best, best_rank = ov, rank
    return best


def _category_matches(prefix: str, path: str) -> bool:
    return path == prefix or path.startswith(prefix.rstrip("/") + "/")


def grade_rates(policy: DistributionPolicy, grade: str) -> tuple[int, ...]:
    for g in policy.grades:
        if g.name == grade:
            return g.levels_bp
    return policy.levels_bp


def _level_value(values: tuple[int, ...], level: int) -> int:
    return values[level - 1] if 0 < level <= len(values) else 0


def share_for(
    line: CommissionLine, who: Beneficiary, override: RateOverride | None, policy: DistributionPolicy
) -> CommissionShare:
    """One beneficiary's commission on one line (amount may be 0)."""
    if override is not None and override.fixed_fen:
        amount = min(_level_value(override.fixed_fen, who.level) * line.quantity, line.paid_fen)
        return CommissionShare(who.distributor_id, who.level, line.line_id, line.paid_fen, 0, amount)
    rates = override.levels_bp if override is not None else grade_rates(policy, who.grade)
    rate = _level_value(rates, who.level)
    return CommissionShare(
        who.distributor_id, who.level, line.line_id, line.paid_fen, rate, apply_rate_bp(line.paid_fen, rate)
    )


def compute_commission(
    order: CommissionInput, chain: Sequence[Beneficiary], policy: DistributionPolicy
) -> list[CommissionShare]:
    """Commission shares for every line × eligible beneficiary with a positive amount."""
    eligible = [b for b in chain if b.active and 1 <= b.level <= policy.max_levels]
    shares: list[CommissionShare] = []
    for line in order.lines:
        if not line_pays_commission(line, policy):
            continue
        override = find_override(line, policy)
        paid_on_line = 0
        for who in eligible:
            share = share_for(line, who, override, policy)
            amount = min(share.amount_fen, line.paid_fen - paid_on_line)
            if amount <= 0:
                continue
            paid_on_line += amount
            shares.append(
                CommissionShare(share.distributor_id, share.level, share.line_id, share.base_fen, share.rate_bp, amount)
            )
    return shares


def max_commission_fen(order: CommissionInput, policy: DistributionPolicy) -> int:
    """The ceiling the invariant tests hold the engine to: configured rates × paid base, per line."""
    total = 0
    for line in order.lines:
        if not line_pays_commission(line, policy):
            continue
        ov = find_override(line, policy)
        if ov is not None and ov.fixed_fen:
            total += min(sum(ov.fixed_fen[: policy.max_levels]) * line.quantity, line.paid_fen)
            continue
        rate_sets = [ov.levels_bp] if ov is not None else [policy.levels_bp, *(g.levels_bp for g in policy.grades)]
        levels = range(1, policy.max_levels + 1)
        best = sum(max(_level_value(rates, lv) for rates in rate_sets) for lv in levels)
        total += min(apply_rate_bp(line.paid_fen, best), line.paid_fen)
    return total


def clawback_fen(commission_fen: int, base_fen: int, refunded_before_fen: int, refund_fen: int) -> int:
    """Commission to take back for a refund of `refund_fen` on a line with base `base_fen`.

    Cumulative and exact: after the whole base is refunded, exactly the whole
    commission has been taken back, whatever the sequence of partial refunds.
    """
    if base_fen <= 0 or commission_fen <= 0:
        return 0
    before = min(refunded_before_fen, base_fen)
    after = min(refunded_before_fen + refund_fen, base_fen)
    target_before = (commission_fen * before) // base_fen
    target_after = (commission_fen * after) // base_fen
    return target_after - target_before
