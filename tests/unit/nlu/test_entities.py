"""Entities: spans cover only the value; normalised values are what the dialogue needs."""

from __future__ import annotations

import pytest

from nlu.embedded import EmbeddedInterpreter
from nlu.types import Parse


def ents(parse: Parse) -> list[tuple[str, str, object]]:
    return [(e.entity, e.value, e.normalized) for e in parse.entities]


class TestPrices:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("有没有200块以内的面膜", [("price_max", "200", 20000)]),
            ("一百到两百的面霜", [("price_min", "一百", 10000), ("price_max", "两百", 20000)]),
            ("50元以下的水果", [("price_max", "50", 5000)]),
            ("不超过300的精华", [("price_max", "300", 30000)]),
            ("100多的卫衣有吗", [("price_min", "100", 10000)]),
            ("300以上的眼霜", [("price_min", "300", 30000)]),
        ],
    )
    def test_price_bounds_are_in_fen(self, interpreter: EmbeddedInterpreter, text: str, expected: list) -> None:
        found = [e for e in ents(interpreter.parse(text)) if e[0].startswith("price")]
        assert found == expected

    def test_a_delivery_time_is_not_a_price(self, interpreter: EmbeddedInterpreter) -> None:
        assert interpreter.parse("3天以内能到吗").first("price_max") is None


class TestNumbers:
    def test_quantity_is_an_int_and_the_span_is_only_the_number(self, interpreter: EmbeddedInterpreter) -> None:
        parse = interpreter.parse("来两件XL的")
        qty = parse.first("quantity")
        assert qty is not None and (qty.value, qty.start, qty.end, qty.normalized) == ("两", 1, 2, 2)
        assert parse.value("spec") == "XL"

    @pytest.mark.parametrize(("text", "index"), [("第二个详细说说", 2), ("第2个怎么样", 2), ("2号详情", 2),
                                                 ("最后一个加购物车", -1), ("倒数第二个介绍下", -2)])
    def test_index_is_an_int(self, interpreter: EmbeddedInterpreter, text: str, index: int) -> None:
        assert interpreter.parse(text).value("index") == index

    def test_an_ordinal_is_not_also_a_quantity(self, interpreter: EmbeddedInterpreter) -> None:
        assert interpreter.parse("第二十个加购").first("quantity") is None

    @pytest.mark.parametrize(("text", "amount"), [("提现1.5k", 1500), ("提现一百", 100), ("提[三十五]", 35),
                                                  ("我要提200块到微信", 200)])
    def test_withdraw_amount_is_yuan_int(self, interpreter: EmbeddedInterpreter, text: str, amount: int) -> None:
        text = text.replace("[", "").replace("]", "")
        assert interpreter.parse(text).value("amount") == amount


class TestIdentifiers:
    def test_lowercase_order_number_is_upper_cased(self, interpreter: EmbeddedInterpreter) -> None:
        parse = interpreter.parse("订单sy20261125000123到哪了")
        assert parse.value("order_no") == "SY20261125000123"
        assert parse.first("tracking_no") is None

    @pytest.mark.parametrize("number", ["SF1234567890123", "yt9876543210987", "75123456789012"])
    def test_tracking_numbers_are_found(self, interpreter: EmbeddedInterpreter, number: str) -> None:
        assert interpreter.parse(f"查一下快递{number}").value("tracking_no") == number.upper()

    def test_a_mobile_number_is_not_a_tracking_number(self, interpreter: EmbeddedInterpreter) -> None:
        assert interpreter.parse("我电话13812345678").first("tracking_no") is None


class TestLookups:
    @pytest.mark.parametrize(
        ("name", "code"),
        [("顺丰", "shunfeng"), ("圆通", "yuantong"), ("中通", "zhongtong"), ("韵达", "yunda"), ("申通", "shentong"),
         ("京东", "jd"), ("邮政", "ems"), ("EMS", "ems"), ("极兔", "jtexpress")],
    )
    def test_carriers_are_normalised_to_codes(self, interpreter: EmbeddedInterpreter, name: str, code: str) -> None:
        assert interpreter.parse(f"{name}快递到哪了").value("carrier") == code

    @pytest.mark.parametrize(("text", "method"), [("提现到微信", "wechat"), ("提到零钱", "wechat"),
                                                  ("提现500到银行卡", "bank")])
    def test_payout_method_when_withdrawing(self, interpreter: EmbeddedInterpreter, text: str, method: str) -> None:
        assert interpreter.parse(text).value("payout_method") == method

    @pytest.mark.parametrize(("text", "spec"), [("有XL的吗", "XL"), ("M码还有吗", "M"), ("要红色的", "红色"),
                                                ("500g的蜂蜜", "500g"), ("大号的纸尿裤", "大号")])
    def test_specs(self, interpreter: EmbeddedInterpreter, text: str, spec: str) -> None:
        assert interpreter.parse(text).value("spec") == spec

    def test_a_typo_in_a_product_name_is_matched_by_sound(self, interpreter: EmbeddedInterpreter) -> None:
        product = interpreter.parse("有脐澄吗").first("product")
        assert product is not None and (product.value, product.normalized) == ("脐澄", "脐橙")

    def test_a_common_word_that_sounds_like_a_product_is_not_one(self, interpreter: EmbeddedInterpreter) -> None:
        assert interpreter.parse("可以付款了").entities == ()
        assert interpreter.parse("没必要").entities == ()

    def test_reason_is_kept_only_for_refunds_and_cancellations(self, interpreter: EmbeddedInterpreter) -> None:
        assert interpreter.parse("收到的脐橙坏了 我要退款").value("reason") == "坏了"
        assert interpreter.parse("我要提现到微信").first("reason") is None


class TestCatalogVocabulary:
    def test_catalog_names_become_the_normalised_product(self, shop_interpreter: EmbeddedInterpreter) -> None:
        shop_interpreter.update_vocabulary(products=["赣南脐橙 5斤装", "玻尿酸补水面膜", "小熊卫衣"])
        assert shop_interpreter.parse("有脐澄吗").value("product") == "赣南脐橙 5斤装"
        assert shop_interpreter.parse("有脐橙吗").value("product") == "赣南脐橙 5斤装"
        assert shop_interpreter.parse("我要玻尿酸补水面膜").value("product") == "玻尿酸补水面膜"
        assert shop_interpreter.parse("小熊卫衣有XL吗").value("product") == "小熊卫衣"

    def test_new_words_from_the_catalog_are_recognised(self, shop_interpreter: EmbeddedInterpreter) -> None:
        shop_interpreter.update_vocabulary(products=["雪域牦牛肉干"], categories=["食品/肉干"],
                                           carriers=["德邦"], specs=["口味:麻辣"])
        parse = shop_interpreter.parse("有雪域牦牛肉干吗 要麻辣的")
        assert parse.value("product") == "雪域牦牛肉干"
        assert parse.value("spec") == "麻辣"
        assert shop_interpreter.parse("看看肉干").value("category") == "肉干"


class TestRememberedParses:
    """`CatalogVocabulary` remembers parses of repeated texts, and forgets them when the vocabulary changes."""

    class Counting:
        threshold = 0.45

        def __init__(self, inner: EmbeddedInterpreter) -> None:
            self.inner, self.calls = inner, 0

        def parse(self, text: str):  # type: ignore[no-untyped-def]
            self.calls += 1
            return self.inner.parse(text)

        def update_vocabulary(self, **words):  # type: ignore[no-untyped-def]
            self.inner.update_vocabulary(**words)

    def test_a_repeated_text_is_parsed_once_until_the_vocabulary_changes(
            self, shop_interpreter: EmbeddedInterpreter) -> None:
        from bot.dialogue.vocabulary import CatalogVocabulary

        counting = self.Counting(shop_interpreter)
        vocabulary = CatalogVocabulary(counting, db=None, interval=float("inf"))  # type: ignore[arg-type]
        vocabulary._checked = 0.0  # no catalog refresh in this test
        first = vocabulary.parse("有牦牛肉干吗")
        assert vocabulary.parse("有牦牛肉干吗") == first and counting.calls == 1
        vocabulary.update_vocabulary(products=["牦牛肉干"])
        assert vocabulary.parse("有牦牛肉干吗").value("product") == "牦牛肉干"
        assert counting.calls == 2
