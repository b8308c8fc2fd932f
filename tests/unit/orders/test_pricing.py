from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commerce.errors import InvalidInput
from commerce.orders.pricing import LineInput, price
from commerce.shipping.templates import DEFAULT_TEMPLATE, ChargeBasis, Parcel, Rate, ShippingTemplate

NO_SHIPPING = ShippingTemplate("free", ChargeBasis.PIECE, Rate(1, 0, 1, 0))


def _line(i: int, unit: int, qty: int, kind: str = "normal", weight_g: int = 0) -> LineInput:
    return LineInput(i, i, f"C{i}", f"商品{i}", "", kind, unit, qty, weight_g)


lines_strategy = st.lists(
    st.tuples(st.integers(1, 100_000), st.integers(1, 50)), min_size=1, max_size=8
).map(lambda xs: [_line(i, u, q) for i, (u, q) in enumerate(xs)])


class TestAllocation:
    @given(lines=lines_strategy, data=st.data())
    def test_line_paid_amounts_add_up_to_goods_after_discount(self, lines: list[LineInput], data: st.DataObject) -> None:
        goods = sum(ln.unit_price_fen * ln.quantity for ln in lines)
        discount = data.draw(st.integers(0, goods))
        points = data.draw(st.integers(0, goods - discount))
        priced, b = price(lines, template=NO_SHIPPING, province=None, discount_fen=discount, points_fen=points)
        assert sum(p.paid_fen for p in priced) == goods - discount - points == b.payable_fen
        assert all(0 <= p.paid_fen <= p.subtotal_fen for p in priced)
        assert b.goods_fen == goods

    @given(lines=lines_strategy)
    def test_shipping_is_never_part_of_line_paid_amounts(self, lines: list[LineInput]) -> None:
        priced, b = price(lines, template=DEFAULT_TEMPLATE, province="新疆")
        assert sum(p.paid_fen for p in priced) == b.goods_fen
        assert b.payable_fen == b.goods_fen + b.shipping_fen

    def test_discount_larger_than_goods_is_refused(self) -> None:
        with pytest.raises(InvalidInput):
            price([_line(1, 100, 1)], template=NO_SHIPPING, province=None, discount_fen=101)

    def test_negative_discount_is_refused(self) -> None:
        with pytest.raises(InvalidInput):
            price([_line(1, 100, 1)], template=NO_SHIPPING, province=None, points_fen=-1)


class TestShippingTemplates:
    def test_default_template_charges_per_piece_and_ships_free_from_99_yuan(self) -> None:
        assert DEFAULT_TEMPLATE.fee_fen(Parcel(pieces=1, weight_g=0, goods_fen=5000, province="广东省")) == 800
        assert DEFAULT_TEMPLATE.fee_fen(Parcel(pieces=3, weight_g=0, goods_fen=5000, province="广东省")) == 1200
        assert DEFAULT_TEMPLATE.fee_fen(Parcel(pieces=3, weight_g=0, goods_fen=9900, province="广东省")) == 0

    def test_remote_provinces_have_their_own_rate_and_no_free_shipping(self) -> None:
        parcel = Parcel(pieces=2, weight_g=0, goods_fen=50_000, province="西藏自治区")
        assert DEFAULT_TEMPLATE.fee_fen(parcel) == 3000

    def test_weight_template_charges_started_extra_units(self) -> None:
        t = ShippingTemplate("按重", ChargeBasis.WEIGHT, Rate(1000, 1000, 500, 300), regions={"海南": Rate(1000, 2000, 1000, 800)})
        assert t.fee_fen(Parcel(pieces=1, weight_g=1000, goods_fen=0)) == 1000
        assert t.fee_fen(Parcel(pieces=1, weight_g=1001, goods_fen=0)) == 1300
        assert t.fee_fen(Parcel(pieces=1, weight_g=2100, goods_fen=0)) == 1900
        assert t.fee_fen(Parcel(pieces=1, weight_g=2100, goods_fen=0, province="海南省")) == 3600

    def test_service_products_ship_free(self) -> None:
        _, b = price([_line(1, 19900, 1, kind="service")], template=DEFAULT_TEMPLATE, province="广东省")
        assert b.shipping_fen == 0

    def test_rates_reject_nonsense(self) -> None:
        with pytest.raises(InvalidInput):
            Rate(0, 100, 1, 100)
        with pytest.raises(InvalidInput):
            Rate(1, -1, 1, 100)
