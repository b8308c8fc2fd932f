from __future__ import annotations

from dataclasses import dataclass

import pytest

from commerce.errors import IllegalTransition
from commerce.orders.states import TRANSITIONS, OrderStatus, transition

S = OrderStatus


@dataclass
class FakeOrder:
    status: str


def test_happy_path_follows_the_architecture() -> None:
    order = FakeOrder(S.PENDING_PAYMENT.value)
    for target in (S.PAID, S.CONFIRMED, S.SHIPPED, S.DELIVERED, S.COMPLETED):
        assert transition(order, target) is True
    assert order.status == "completed"


def test_repeating_paid_is_a_no_op() -> None:
    order = FakeOrder(S.PAID.value)
    assert transition(order, S.PAID) is False
    assert order.status == "paid"


@pytest.mark.parametrize(("current", "target"), [
    (S.PENDING_PAYMENT, S.SHIPPED),
    (S.CANCELLED, S.PAID),
    (S.PAID, S.CANCELLED),
    (S.REFUNDED, S.PAID),
    (S.SHIPPED, S.PAID),
    (S.CONFIRMED, S.CONFIRMED),
])
def test_illegal_moves_raise_with_both_states(current: OrderStatus, target: OrderStatus) -> None:
    order = FakeOrder(current.value)
    with pytest.raises(IllegalTransition) as err:
        transition(order, target)
    assert (err.value.current, err.value.target) == (current.value, target.value)
    assert order.status == current.value


def test_every_status_has_an_entry_and_terminal_states_lead_nowhere() -> None:
    assert set(TRANSITIONS) == set(S)
    assert TRANSITIONS[S.CANCELLED] == TRANSITIONS[S.REFUNDED] == frozenset()


def test_return_flow_ends_in_a_refund() -> None:
    order = FakeOrder(S.DELIVERED.value)
    for target in (S.RETURN_REQUESTED, S.RETURNING, S.REFUNDING, S.REFUNDED):
        transition(order, target)
    assert order.status == "refunded"
