"""Dialogue state round-trips through JSON; short replies resolve to list positions."""

from __future__ import annotations

import pytest

from bot.dialogue.refs import bare_ordinal, pick
from bot.dialogue.router import Route, Router, keyword_key
from bot.dialogue.state import DialogState, Pending, StateStore, Waiting
from bot.kv import MemoryKV


class TestState:
    def test_state_survives_a_round_trip_through_json(self) -> None:
        state = DialogState(products=(3, 1, 2), orders=("SY1",), cart=(7,), focus=3, last_sku=7,
                            pending=Pending(Waiting.SPEC, {"product_id": 3, "quantity": 2}), form={"name": "张三"})
        assert DialogState.loads(state.dumps()) == state

    def test_an_empty_state_is_stored_compactly(self) -> None:
        assert DialogState().dumps() == "{}"

    def test_asking_and_settling_do_not_touch_the_rest(self) -> None:
        state = DialogState(products=(1,)).ask(Waiting.PHONE, x=1)
        assert state.waiting(Waiting.PHONE) and state.products == (1,)
        assert state.settled().pending is None and state.settled().products == (1,)

    def test_a_corrupt_or_foreign_entry_starts_fresh(self) -> None:
        kv = MemoryKV()
        store = StateStore(kv)
        for junk in ["{oops", '{"pending": {"waiting": "nope"}}', "[1,2]", '{"products": ["x"]}']:
            kv.set("dlg:o1", junk)
            assert store.load("o1") == DialogState()

    def test_state_expires_with_the_ttl(self) -> None:
        store = StateStore(MemoryKV(), ttl_seconds=0.01)
        store.save("o1", DialogState(focus=1))
        import time

        time.sleep(0.02)
        assert store.load("o1") == DialogState()


class TestOrdinals:
    @pytest.mark.parametrize(("text", "n"), [("2", 2), ("第二个", 2), ("第2个", 2), ("要3", 3), ("第十款", 10),
                                             ("二", 2), ("最后一个", -1), ("2。", 2), ("第三个吧", 3)])
    def test_short_replies_name_a_position(self, text: str, n: int) -> None:
        assert bare_ordinal(text) == n

    @pytest.mark.parametrize("text", ["脐橙", "来两件", "第二个详细说说", "0", "13812345678", "", "二手"])
    def test_other_texts_are_not_positions(self, text: str) -> None:
        assert bare_ordinal(text) is None

    def test_pick_is_one_based_with_minus_one_for_the_last(self) -> None:
        assert pick((10, 20, 30), 1) == 10 and pick((10, 20, 30), -1) == 30
        assert pick((10, 20, 30), 4) is None and pick((), -1) is None and pick((10,), 0) is None
        assert pick((10, 20, 30), -2) == 20 and pick((10, 20, 30), -4) is None  # 倒数第二个


class TestRouter:
    def test_decorators_return_the_function_and_later_registrations_win(self) -> None:
        r = Router()

        def first(state: object, msg: object) -> None: ...
        def second(state: object, msg: object) -> None: ...

        assert r.intent("greet")(first) is first
        r.intent("greet")(second)
        assert r.find(Route.INTENT, "greet") is second

    def test_keywords_ignore_spaces_punctuation_and_case(self) -> None:
        r = Router()

        def handler(state: object, msg: object) -> None: ...

        r.keyword("帮助", "Help")(handler)
        assert r.find(Route.KEYWORD, " 帮助！") is handler and r.find(Route.KEYWORD, "HELP?") is handler
        assert keyword_key("購物 車。") == "購物車"

    def test_followups_keep_registration_order(self) -> None:
        r = Router()

        def a(state: object, msg: object) -> None: ...
        def b(state: object, msg: object) -> None: ...

        r.followup("b")(b)
        r.followup("a")(a)
        assert r.followups() == [b, a]
