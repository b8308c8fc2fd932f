"""`BatchingKV`: reads ahead and batched writes, on the in-process store and on real Redis."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot.kv import BatchingKV, MemoryKV


@pytest.fixture(params=["memory", "redis"])
def inner(request: pytest.FixtureRequest) -> Any:
    return MemoryKV() if request.param == "memory" else request.getfixturevalue("kv")


def test_outside_a_batch_every_call_goes_straight_through(inner: Any) -> None:
    kv = BatchingKV(inner)
    kv.set("a", "1", ttl=60)
    assert inner.get("a") == "1" and kv.get("a") == "1"


def test_writes_in_a_batch_reach_the_store_when_it_ends_and_reads_see_them_before(inner: Any) -> None:
    kv = BatchingKV(inner)
    with kv.batch():
        kv.set("a", "1", ttl=60)
        kv.set("a", "2", ttl=60)
        kv.set("b", "x")
        assert kv.get("a") == "2"  # read-your-writes
        assert inner.get("a") is None  # not sent yet
    assert inner.get("a") == "2" and inner.get("b") == "x"


def test_keys_read_ahead_are_answered_without_asking_the_store(inner: Any) -> None:
    kv = BatchingKV(inner)
    inner.set("k", "server")
    with kv.batch({"k": "ahead", "gone": None}):
        assert kv.get("k") == "ahead"
        assert kv.get("gone") is None
        assert kv.get("other") is None  # unknown keys are read from the store


def test_set_then_get_of_known_keys_defers_the_writes(inner: Any) -> None:
    kv = BatchingKV(inner)
    with kv.batch({"tail": "3"}):
        assert kv.set_then_get([("w", "1", 60)], ["tail"]) == ["3"]
        assert inner.get("w") is None
        assert kv.set_then_get([], ["w", "elsewhere"]) == ["1", None]
    assert inner.get("w") == "1"


def test_set_nx_incr_and_delete_send_the_batch_first_so_effects_keep_their_order(inner: Any) -> None:
    kv = BatchingKV(inner)
    with kv.batch():
        kv.set("lock", "mine", ttl=60)
        assert kv.set_nx("lock", "theirs", ttl=60) is False  # sees the earlier write
        kv.set("n", "5")
        assert kv.incr("n") == 6
        kv.set("d", "1")
        kv.delete("d")
        assert kv.get("d") is None
    assert inner.get("d") is None and inner.get("n") == "6"


def test_claim_then_get_claims_once_and_reads_in_the_same_call(inner: Any) -> None:
    inner.set("state", "s")
    first = BatchingKV(inner).claim_then_get("msg", "p", 60, ["state", "none"])
    second = BatchingKV(inner).claim_then_get("msg", "p", 60, ["state"])
    assert first == (True, ["s", None]) and second == (False, ["s"])


def test_a_store_that_fails_at_the_end_of_a_batch_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    class Broken(MemoryKV):
        def set_then_get(self, writes: Any, reads: Any) -> Any:
            raise ConnectionError("cache down")

    kv = BatchingKV(Broken())
    with caplog.at_level(logging.WARNING, logger="bot.kv"), kv.batch():
        kv.set("a", "1")
    assert "batched writes lost" in caplog.text
