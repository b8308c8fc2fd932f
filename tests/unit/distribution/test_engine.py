from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from commerce.distribution.engine import (
    Beneficiary,
    CommissionInput,
    CommissionLine,
    clawback_fen,
    compute_commission,
    max_commission_fen,
)
from commerce.distribution.policy import DistributionPolicy, Grade, RateOverride

POLICY = DistributionPolicy(levels_bp=(1000, 500))
CHAIN = [Beneficiary(11, 1), Beneficiary(12, 2)]


def order(*lines: CommissionLine) -> CommissionInput:
    return CommissionInput(order_id=1, buyer_customer_id=99, lines=lines)


def line(paid_fen: int, *, line_id: int = 1, kind: str = "normal", sku: int = 5, product: int = 7,
         category: str = "食品/水果", qty: int = 1) -> CommissionLine:
    return CommissionLine(line_id, product, category, sku, paid_fen, kind, qty)


class TestLevelRates:
    def test_each_level_earns_its_rate_of_the_paid_goods_amount(self) -> None:
        shares = compute_commission(order(line(9_999)), CHAIN, POLICY)
        assert [(s.distributor_id, s.level, s.amount_fen) for s in shares] == [(11, 1, 999), (12, 2, 499)]

    def test_commission_rounds_down_to_the_fen(self) -> None:
        shares = compute_commission(order(line(19)), CHAIN, POLICY)
        assert [s.amount_fen for s in shares] == [1]  # 1.9 fen -> 1; 0.95 fen -> 0 (no entry)

    def test_levels_beyond_the_policy_earn_nothing(self) -> None:
        chain = [*CHAIN, Beneficiary(13, 3)]
        shares = compute_commission(order(line(10_000)), chain, POLICY)
        assert {s.distributor_id for s in shares} == {11, 12}

    def test_suspended_beneficiary_earns_nothing_and_the_chain_is_not_compressed(self) -> None:
        chain = [Beneficiary(11, 1, active=False), Beneficiary(12, 2)]
        shares = compute_commission(order(line(10_000)), chain, POLICY)
        assert [(s.distributor_id, s.level, s.amount_fen) for s in shares] == [(12, 2, 500)]


class TestSpecialLines:
    def test_seckill_and_points_lines_pay_no_commission_by_default(self) -> None:
        o = order(line(10_000, line_id=1, kind="seckill"), line(10_000, line_id=2, kind="points"))
        assert compute_commission(o, CHAIN, POLICY) == []

    def test_seckill_pays_when_the_merchant_enables_it(self) -> None:
        policy = DistributionPolicy(levels_bp=(1000,), commission_on_seckill=True)
        assert compute_commission(order(line(10_000, kind="seckill")), CHAIN, policy)[0].amount_fen == 1000


class TestOverrides:
    def test_sku_beats_product_beats_longest_category(self) -> None:
        policy = DistributionPolicy(levels_bp=(1000,), overrides=(
            RateOverride(levels_bp=(100,), category="食品"),
            RateOverride(levels_bp=(200,), category="食品/水果"),
            RateOverride(levels_bp=(300,), product_id=7),
            RateOverride(levels_bp=(400,), sku_id=5),
        ))
        assert compute_commission(order(line(10_000)), CHAIN, policy)[0].rate_bp == 400
        assert compute_commission(order(line(10_000, sku=6)), CHAIN, policy)[0].rate_bp == 300
        assert compute_commission(order(line(10_000, sku=6, product=8)), CHAIN, policy)[0].rate_bp == 200
        other = line(10_000, sku=6, product=8, category="食品/零食")
        assert compute_commission(order(other), CHAIN, policy)[0].rate_bp == 100

    def test_fixed_commission_is_per_unit_and_never_exceeds_the_paid_amount(self) -> None:
        policy = DistributionPolicy(levels_bp=(1000, 500), overrides=(RateOverride(fixed_fen=(300, 100), sku_id=5),))
        shares = compute_commission(order(line(1_000, qty=2)), CHAIN, policy)
        assert [s.amount_fen for s in shares] == [600, 200]
        tiny = compute_commission(order(line(250, qty=1)), CHAIN, policy)
        assert sum(s.amount_fen for s in tiny) == 250


class TestGrades:
    def test_a_senior_distributor_earns_the_grade_rate(self) -> None:
        policy = DistributionPolicy(levels_bp=(1000, 500), grades=(Grade("senior", "高级", 100_000, (1500, 500)),))
        chain = [Beneficiary(11, 1, grade="senior"), Beneficiary(12, 2)]
        assert [s.amount_fen for s in compute_commission(order(line(10_000)), chain, policy)] == [1500, 500]


lines_st = st.lists(
    st.builds(
        CommissionLine,
        line_id=st.integers(1, 10**6), product_id=st.integers(1, 5), category_path=st.sampled_from(["a", "a/b", "c"]),
        sku_id=st.integers(1, 5), paid_fen=st.integers(0, 10**8), kind=st.sampled_from(["normal", "seckill"]),
        quantity=st.integers(1, 5),
    ),
    min_size=1, max_size=6, unique_by=lambda ln: ln.line_id,
)
rates_st = st.lists(st.integers(0, 5000), min_size=1, max_size=3).filter(lambda r: sum(r) <= 10_000)


@given(lines_st, rates_st, st.lists(st.booleans(), min_size=3, max_size=3))
def test_commission_for_an_order_never_exceeds_configured_rates_times_paid_base(
    lines: list[CommissionLine], rates: list[int], active: list[bool]
) -> None:
    policy = DistributionPolicy(
        levels_bp=tuple(rates), acknowledge_third_level=True,
        overrides=(RateOverride(fixed_fen=(500, 100, 50), sku_id=3), RateOverride(levels_bp=(2000,), category="a/b")),
    )
    o = CommissionInput(1, 2, tuple(lines))
    chain = [Beneficiary(100 + i, i + 1, active=a) for i, a in enumerate(active)]
    shares = compute_commission(o, chain, policy)
    assert sum(s.amount_fen for s in shares) <= max_commission_fen(o, policy)
    for ln in lines:
        assert sum(s.amount_fen for s in shares if s.line_id == ln.line_id) <= ln.paid_fen
    assert all(s.amount_fen > 0 and s.level <= len(rates) for s in shares)


@given(st.integers(0, 10**7), st.integers(1, 10**7), st.lists(st.integers(1, 10**6), max_size=8))
def test_partial_refunds_claw_back_exactly_the_commission_once_fully_refunded(
    commission: int, base: int, refunds: list[int]
) -> None:
    commission = min(commission, base)
    taken, refunded = 0, 0
    for r in [*refunds, base]:  # the last refund covers whatever is left
        step = clawback_fen(commission, base, refunded, r)
        assert step >= 0
        taken += step
        refunded += r
        assert taken <= commission
    assert taken == commission
