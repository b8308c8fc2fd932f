"""Money display, domain errors in Chinese, the payment confirmation message."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from bot import texts
from commerce.errors import CommerceError, NotFound
from commerce.events import OrderPaid
from commerce.inventory.errors import OutOfStock
from commerce.orders.errors import OrderNotPayable


class TestYuan:
    def test_fen_are_shown_as_yuan_with_two_decimals(self) -> None:
        assert texts.yuan(1230) == "¥12.30" and texts.yuan(5) == "¥0.05" and texts.yuan(0) == "¥0.00"

    @given(st.integers(min_value=0, max_value=10**12))
    def test_the_display_reads_back_to_the_same_fen(self, fen: int) -> None:
        yuan, cents = texts.yuan(fen).removeprefix("¥").split(".")
        assert int(yuan) * 100 + int(cents) == fen and len(cents) == 2


class TestErrorTexts:
    def test_an_error_is_formatted_with_its_own_data(self) -> None:
        assert texts.error_text(OutOfStock(1, "保湿面霜", 10, 5)) == "「保湿面霜」库存不足，目前只剩 5 件，少买几件试试？"

    def test_not_found_names_what_was_not_found(self) -> None:
        assert "订单" in texts.error_text(NotFound("order", "SY1"))

    def test_status_is_shown_in_chinese(self) -> None:
        assert "已取消" in texts.error_text(OrderNotPayable("SY1", "cancelled"))

    def test_an_unmapped_subclass_falls_back_to_its_nearest_parent(self) -> None:
        class Strange(CommerceError):
            pass

        assert texts.error_text(Strange("x")) == texts.GENERIC_ERROR

    def test_a_template_needing_missing_data_falls_back_to_the_generic_text(self) -> None:
        class Odd(CommerceError):
            pass

        texts.register_error_text(Odd, "需要 {nothing}")
        assert texts.error_text(Odd()) == texts.GENERIC_ERROR

    def test_every_mapped_text_is_chinese(self) -> None:
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in text) for text in texts.ERROR_TEXTS.values())


class TestPaymentConfirmed:
    def test_the_confirmation_names_the_order_and_the_amount_paid(self) -> None:
        text = texts.payment_confirmed_text(OrderPaid(1, "SY20250101000001", "o1", 7980))
        assert "SY20250101000001" in text and "¥79.80" in text

    def test_an_order_view_with_payable_fen_works_too(self) -> None:
        @dataclass
        class View:
            order_no: str
            payable_fen: int

        assert "¥1.00" in texts.payment_confirmed_text(View("SY1", 100))
