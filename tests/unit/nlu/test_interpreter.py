"""Parsing behaviour: intents for everyday messages, and a valid Parse for any input at all."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlu import ENTITIES, INTENTS, Interpreter, Parse
from nlu.embedded import EmbeddedInterpreter


def assert_valid(parse: Parse, text: str) -> None:
    assert parse.text == text
    assert parse.intent in INTENTS
    assert 0.0 <= parse.confidence <= 1.0
    assert parse.ranking and parse.ranking[0][0] == parse.intent
    for ent in parse.entities:
        assert ent.entity in ENTITIES
        assert 0 <= ent.start < ent.end <= len(text)
        assert text[ent.start:ent.end] == ent.value


class TestIntents:
    @pytest.mark.parametrize(
        ("text", "intent"),
        [("在吗亲", "greet"), ("好的", "affirm"), ("就这个", "affirm"), ("算了", "deny"), ("不用了", "deny"),
         ("你能做什么", "help"), ("猜你喜欢", "recommend"), ("有什么好卖的", "recommend"),
         ("给我一段朋友圈文案", "get_promo_copy"), ("删掉购物车里的第二个", "remove_from_cart"),
         ("我买过什么", "my_orders"), ("add to cart", "add_to_cart"), ("来两件XL的", "add_to_cart"),
         ("第二个详细说说", "product_detail"), ("有没有200块以内的面膜", "search_product"),
         ("看看水果", "browse_category"), ("结账", "checkout"), ("看看购物车", "view_cart"),
         ("快递到哪了", "track_logistics"), ("我要退款", "refund_request"), ("取消订单", "cancel_order"),
         ("有优惠券吗", "coupon_query"), ("我有多少积分", "points_query"), ("会员有什么权益", "member_info"),
         ("我想成为分销商", "become_distributor"), ("给我生成海报", "get_poster"), ("我的佣金", "commission_query"),
         ("提现100", "withdraw"), ("转人工", "human_agent"), ("今天天气怎么样", "out_of_scope"),
         ("謝謝", "thanks"), ("拜拜", "goodbye")],
    )
    def test_everyday_messages(self, interpreter: EmbeddedInterpreter, text: str, intent: str) -> None:
        parse = interpreter.parse(text)
        assert parse.intent == intent
        assert parse.confidence >= interpreter.threshold

    def test_the_interpreter_satisfies_the_protocol_and_exposes_its_threshold(
        self, interpreter: EmbeddedInterpreter
    ) -> None:
        assert isinstance(interpreter, Interpreter)
        assert interpreter.threshold == 0.45

    def test_ranking_is_sorted_and_sums_to_at_most_one(self, interpreter: EmbeddedInterpreter) -> None:
        ranking = interpreter.parse("我的快递到哪了").ranking
        scores = [score for _, score in ranking]
        assert scores == sorted(scores, reverse=True) and sum(scores) <= 1.0001


class TestBadInput:
    @pytest.mark.parametrize("text", ["", "   ", "\n\t", "😀😀😀", "\x00\x01\x02"])
    def test_nothing_to_read_is_out_of_scope_with_no_confidence(
        self, interpreter: EmbeddedInterpreter, text: str
    ) -> None:
        parse = interpreter.parse(text)
        assert_valid(parse, text)
        assert (parse.intent, parse.confidence) == ("out_of_scope", 0.0)

    def test_ten_thousand_characters_are_truncated_not_hung_on(self, interpreter: EmbeddedInterpreter) -> None:
        text = "我想买脐橙" * 2000
        started = time.perf_counter()
        parse = interpreter.parse(text)
        assert time.perf_counter() - started < 0.5
        assert_valid(parse, text)

    @pytest.mark.parametrize("text", ["'; DROP TABLE users;--", "<script>alert(1)</script>", "asdkjhqwe",
                                      "ывапролд", "مرحبا بكم"])
    def test_junk_is_out_of_scope_or_low_confidence(self, interpreter: EmbeddedInterpreter, text: str) -> None:
        parse = interpreter.parse(text)
        assert_valid(parse, text)
        assert parse.intent == "out_of_scope" or parse.confidence < interpreter.threshold

    def test_mixed_scripts_and_control_characters_still_parse(self, interpreter: EmbeddedInterpreter) -> None:
        text = "hi\x07 我想買 two 件 XL 的 T恤 🙂\u200b"
        assert_valid(interpreter.parse(text), text)

    def test_cjk_characters_without_a_pinyin_reading_still_parse(self, interpreter: EmbeddedInterpreter) -> None:
        for text in ("鿖", "鿖鿗 多少钱", "\u9fff\u9ffe"):  # newest CJK code points: pypinyin has no reading
            assert_valid(interpreter.parse(text), text)

    @settings(max_examples=300, deadline=None)
    @given(st.text(max_size=400))
    def test_any_text_gives_a_valid_parse(self, interpreter: EmbeddedInterpreter, text: str) -> None:
        assert_valid(interpreter.parse(text), text)


class TestParseHelpers:
    def test_first_and_value_prefer_the_normalised_value(self, interpreter: EmbeddedInterpreter) -> None:
        parse = interpreter.parse("来两件XL的")
        assert parse.first("quantity") is not None
        assert parse.value("quantity") == 2
        assert parse.first("order_no") is None
        assert parse.value("order_no", "none") == "none"
