"""Card-number and bank-name checks of the bank-card withdrawal form (pure, no I/O)."""

from __future__ import annotations

import pytest

from bot import texts
from bot.dialogue.handlers.distribution_bank import bank_name, card_problem, luhn_ok, normalise_card


def with_check_digit(body: str) -> str:
    for d in "0123456789":
        if luhn_ok(body + d):
            return body + d
    raise AssertionError("unreachable")


class TestCardNumber:
    @pytest.mark.parametrize("card", ["4111111111111111", "6222020200112230", "79927398713"])
    def test_the_luhn_checksum_accepts_known_good_numbers(self, card: str) -> None:
        assert luhn_ok(card)

    @pytest.mark.parametrize("card", ["4111111111111112", "6222020200112233", "79927398710"])
    def test_the_luhn_checksum_rejects_a_changed_digit(self, card: str) -> None:
        assert not luhn_ok(card)

    def test_a_swap_of_two_neighbouring_digits_is_caught(self) -> None:
        good = with_check_digit("621700123456789012")
        swapped = good[:3] + good[4] + good[3] + good[5:]
        assert card_problem(good) == "" and card_problem(swapped) == texts.DIST_BANK_CARD_CHECKSUM

    def test_spaces_dashes_and_full_width_digits_are_normalised(self) -> None:
        assert normalise_card("６２２２ ０２０２-0011 2233") == "6222020200112233"

    @pytest.mark.parametrize("raw", ["6222abc0200112233", "六二二二", "6222.0202.0011.2230"])
    def test_anything_but_digits_is_refused_in_plain_chinese(self, raw: str) -> None:
        assert card_problem(normalise_card(raw)) == texts.DIST_BANK_CARD_NOT_DIGITS

    @pytest.mark.parametrize("length", [6, 11, 20, 25])
    def test_a_number_of_the_wrong_length_says_how_long_it_was(self, length: int) -> None:
        problem = card_problem(with_check_digit("6" * (length - 1)))
        assert "12～19" in problem and f"{length} 位" in problem

    @pytest.mark.parametrize("length", [12, 16, 19])
    def test_lengths_12_to_19_with_a_good_checksum_pass(self, length: int) -> None:
        assert card_problem(with_check_digit("6" * (length - 1))) == ""


class TestBankName:
    @pytest.mark.parametrize(("said", "name"), [
        ("工行", "工商银行"), ("中国工商银行", "中国工商银行"), ("招商银行", "招商银行"), ("  建行 ", "建设银行"),
        ("邮储", "邮政储蓄银行"), ("浙江农村信用社", "浙江农村信用社"),
    ])
    def test_full_names_and_common_short_names_are_recognised(self, said: str, name: str) -> None:
        assert bank_name(said) == name

    @pytest.mark.parametrize("said", ["张三", "银行", "6222020200112233", "bank of china", "我也不知道"])
    def test_anything_else_is_not_a_bank(self, said: str) -> None:
        assert bank_name(said) == ""
