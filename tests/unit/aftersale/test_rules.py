"""The after-sale rules, without a database: which flow, how much, and when it is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commerce.aftersale import rules
from commerce.aftersale.errors import NothingToRefund, NotPaidYet, NotReturnable, ReturnWindowClosed
from commerce.aftersale.states import AfterSaleKind, AfterSaleStatus, transition
from commerce.errors import IllegalTransition, InvalidInput
from commerce.orders.states import OrderStatus

DELIVERED = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
ORANGE = rules.LineFacts(1, "脐橙", 3000, 0, returnable=False)
TEA = rules.LineFacts(2, "龙井", 5000, 0, returnable=True)


def order(status: OrderStatus, *lines: rules.LineFacts, shipping_fen: int = 800, refunded_fen: int = 0,
          delivered_at: datetime | None = DELIVERED) -> rules.OrderFacts:
    lines = lines or (TEA,)
    paid = sum(line.paid_fen for line in lines) + shipping_fen
    return rules.OrderFacts("SY1", status, delivered_at, paid, refunded_fen, lines)


class TestBeforeShipping:
    def test_a_paid_order_is_refunded_whole_with_shipping(self) -> None:
        p = rules.plan(order(OrderStatus.PAID, TEA, ORANGE), None, now=DELIVERED)
        assert p.kind is AfterSaleKind.REFUND and p.whole_order and p.amount_fen == 8800 and p.lines == {}

    def test_one_line_of_a_confirmed_order_is_refunded_alone_without_shipping(self) -> None:
        p = rules.plan(order(OrderStatus.CONFIRMED, TEA, ORANGE), (1,), now=DELIVERED)
        assert p.kind is AfterSaleKind.REFUND and not p.whole_order and p.amount_fen == 3000 and p.lines == {1: 3000}

    def test_perishables_can_be_refunded_before_they_are_sent(self) -> None:
        assert rules.plan(order(OrderStatus.PAID, ORANGE), None, now=DELIVERED).amount_fen == 3800


class TestReturnWindow:
    def test_a_return_is_possible_until_the_last_second_of_the_seventh_day(self) -> None:
        last = DELIVERED + timedelta(days=7)
        p = rules.plan(order(OrderStatus.DELIVERED), None, now=last)
        assert p.kind is AfterSaleKind.RETURN and p.deadline == last

    def test_a_second_later_the_window_is_closed(self) -> None:
        with pytest.raises(ReturnWindowClosed) as err:
            rules.plan(order(OrderStatus.COMPLETED), None, now=DELIVERED + timedelta(days=7, seconds=1))
        assert err.value.deadline == DELIVERED + timedelta(days=7)

    def test_a_parcel_still_on_its_way_can_be_returned(self) -> None:
        p = rules.plan(order(OrderStatus.SHIPPED, delivered_at=None), None, now=DELIVERED + timedelta(days=30))
        assert p.kind is AfterSaleKind.RETURN and p.deadline is None

    def test_the_window_follows_the_configured_days(self) -> None:
        with pytest.raises(ReturnWindowClosed):
            rules.plan(order(OrderStatus.DELIVERED), None, now=DELIVERED + timedelta(days=3, seconds=1), window_days=3)


class TestRefused:
    def test_perishables_are_not_returned_without_reason(self) -> None:
        with pytest.raises(NotReturnable) as err:
            rules.plan(order(OrderStatus.DELIVERED, TEA, ORANGE), None, now=DELIVERED)
        assert err.value.names == ("脐橙",)

    def test_the_returnable_line_alone_can_still_be_returned(self) -> None:
        p = rules.plan(order(OrderStatus.DELIVERED, TEA, ORANGE), (2,), now=DELIVERED)
        assert p.kind is AfterSaleKind.RETURN and p.amount_fen == 5000 and p.names == ("龙井",)

    def test_an_unpaid_order_is_cancelled_not_refunded(self) -> None:
        with pytest.raises(NotPaidYet):
            rules.plan(order(OrderStatus.PENDING_PAYMENT), None, now=DELIVERED)

    @pytest.mark.parametrize("status", [OrderStatus.CANCELLED, OrderStatus.REFUNDED, OrderStatus.REFUNDING,
                                        OrderStatus.RETURNING, OrderStatus.RETURN_REQUESTED])
    def test_closed_or_in_progress_orders_have_nothing_to_refund(self, status: OrderStatus) -> None:
        with pytest.raises(NothingToRefund):
            rules.plan(order(status), None, now=DELIVERED)

    def test_an_already_refunded_line_is_nothing_to_refund(self) -> None:
        done = rules.LineFacts(2, "龙井", 5000, 5000, returnable=True)
        with pytest.raises(NothingToRefund):
            rules.plan(order(OrderStatus.PAID, done, TEA.__class__(3, "白茶", 100, 0, True)), (2,), now=DELIVERED)

    def test_a_line_of_another_order_is_bad_input(self) -> None:
        with pytest.raises(InvalidInput):
            rules.plan(order(OrderStatus.PAID), (99,), now=DELIVERED)


@given(st.lists(st.tuples(st.integers(1, 10**6), st.integers(0, 10**6), st.booleans()), min_size=1, max_size=5),
       st.integers(0, 2000), st.data())
def test_a_refund_never_exceeds_what_is_still_paid(lines_spec: list[tuple[int, int, bool]], shipping: int,
                                                   data: st.DataObject) -> None:
    lines = tuple(rules.LineFacts(i, f"L{i}", paid, min(paid, refunded), ok)
                  for i, (paid, refunded, ok) in enumerate(lines_spec, 1))
    refunded = sum(line.refunded_fen for line in lines)
    facts = rules.OrderFacts("SY1", OrderStatus.PAID, None, sum(x.paid_fen for x in lines) + shipping, refunded, lines)
    chosen = data.draw(st.none() | st.lists(st.sampled_from([x.id for x in lines]), min_size=1, unique=True))
    try:
        p = rules.plan(facts, tuple(chosen) if chosen else None, now=DELIVERED)
    except NothingToRefund:
        return
    assert 0 < p.amount_fen <= facts.paid_fen - facts.refunded_fen
    assert all(0 < fen <= next(x.remaining_fen for x in lines if x.id == i) for i, fen in p.lines.items())


def test_request_statuses_follow_the_table_and_repeats_are_no_ops() -> None:
    class R:
        status = AfterSaleStatus.REQUESTED.value

    r = R()
    assert transition(r, AfterSaleStatus.APPROVED) and not transition(r, AfterSaleStatus.APPROVED)
    with pytest.raises(IllegalTransition):
        transition(r, AfterSaleStatus.REFUNDED)
