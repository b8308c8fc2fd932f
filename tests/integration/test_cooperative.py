"""`commerce.cooperative`: sync services run as greenlets on one event loop, their PostgreSQL and
Redis waits awaited there — overlapping, correct under contention, never deadlocking the loop."""

from __future__ import annotations

import asyncio
import logging
import threading
import time

import pytest
from sqlalchemy import func, select, text

from bot.kv import RedisKV
from commerce import cooperative
from commerce.catalog import snapshot
from commerce.db import Database
from commerce.orders.model import Order
from tests.integration.orders.shop import buy_one, make_shopper, make_sku, order_one, stock_of


def sleep_in_postgres(db: Database, seconds: float) -> int:
    with db.uow() as uow:
        return int(uow.session.execute(text("SELECT 7 FROM pg_sleep(:s)"), {"s": seconds}).scalar_one())


async def test_database_waits_of_many_runs_overlap_on_one_thread(pg_db: Database) -> None:
    started = time.monotonic()
    results = await asyncio.gather(*(cooperative.run(sleep_in_postgres, pg_db, 0.3) for _ in range(6)))
    assert results == [7] * 6
    assert time.monotonic() - started < 1.2  # 6 × 0.3 s one after another would be 1.8 s


async def test_a_run_can_wait_for_an_exhausted_pool_instead_of_blocking_the_loop(pg_url: str) -> None:
    small = Database.from_url(pg_url, pool_size=1)  # 1 + 2 overflow connections for 6 runs
    try:
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        clock = asyncio.create_task(ticker())
        results = await asyncio.gather(*(cooperative.run(sleep_in_postgres, small, 0.2) for _ in range(6)))
        clock.cancel()
        assert results == [7] * 6
        assert ticks >= 20  # the loop kept running while runs waited for a connection
    finally:
        small.dispose()


async def test_an_error_inside_a_run_reaches_the_caller_and_the_connection_is_returned(pg_db: Database) -> None:
    def broken() -> None:
        with pg_db.uow() as uow:
            uow.session.execute(text("SELECT no_such_column FROM orders"))

    with pytest.raises(Exception, match="no_such_column"):
        await cooperative.run(broken)
    assert await cooperative.run(sleep_in_postgres, pg_db, 0) == 7


async def test_redis_round_trips_inside_a_run_are_awaited(kv: RedisKV) -> None:
    def count(n: int) -> int:
        for _ in range(n):
            value = kv.incr("coop:counter")
        kv.set("coop:last", str(value), ttl=60)
        return value

    values = await asyncio.gather(*(cooperative.run(count, 10) for _ in range(5)))
    assert max(values) == 50 and kv.get("coop:last") is not None


async def test_offload_runs_blocking_work_in_a_thread_and_in_place_outside_a_run() -> None:
    def where() -> str:
        return threading.current_thread().name

    loop_thread = threading.current_thread().name
    inside = await cooperative.run(cooperative.offload, where)
    assert inside != loop_thread
    assert cooperative.offload(where) == loop_thread
    with pytest.raises(RuntimeError):
        cooperative.wait(asyncio.get_running_loop().create_future())


async def test_a_run_that_blocks_the_loop_is_reported(caplog: pytest.LogCaptureFixture) -> None:
    def blocking() -> None:
        time.sleep(cooperative.SLOW_SLICE_SECONDS + 0.02)  # e.g. an HTTP call that was not offloaded

    with caplog.at_level(logging.WARNING, logger="commerce.cooperative"):
        await cooperative.run(blocking)
        await cooperative.run(cooperative.offload, blocking)  # offloaded: the loop stays free
    reports = [r.message for r in caplog.records if "held the event loop" in r.message]
    assert len(reports) == 1 and reports[0].startswith(blocking.__qualname__)


async def test_an_offloaded_adapter_runs_its_calls_in_a_thread_when_cooperative() -> None:
    class Courier:
        limit = 3

        def track(self, number: str, *, carrier: str = "") -> tuple[str, str, str]:
            return number, carrier, threading.current_thread().name

    courier = cooperative.Offloaded(Courier())
    loop_thread = threading.current_thread().name
    number, carrier, thread = await cooperative.run(lambda: courier.track("SF1", carrier="sf"))
    assert (number, carrier, courier.limit) == ("SF1", "sf", 3) and thread != loop_thread
    assert courier.track("SF2")[2] == loop_thread  # outside a run: in place


async def test_a_lock_held_across_a_database_wait_does_not_deadlock_other_runs(pg_db: Database) -> None:
    make_sku(pg_db, stock=5)

    def rebuild() -> int:
        snapshot.invalidate()
        with pg_db.reads() as uow:
            return len(snapshot.snapshot(uow).entries)

    assert await asyncio.wait_for(asyncio.gather(*(cooperative.run(rebuild) for _ in range(5))), 10) == [1] * 5


@pytest.mark.parametrize("commit_inside", [False, True], ids=["caller-commits", "pipelined-commit"])
async def test_twenty_cooperative_checkouts_of_the_last_unit_sell_it_exactly_once(
    pg_db: Database, commit_inside: bool
) -> None:
    sku = make_sku(pg_db, stock=1)
    buyers = [make_shopper(pg_db, f"o-coop-{i}") for i in range(20)]

    outcomes = await asyncio.gather(*(cooperative.run(buy_one, pg_db, b, sku, commit_inside=commit_inside)
                                      for b in buyers))
    assert sorted(outcomes) == ["ok"] + ["out"] * 19
    assert stock_of(pg_db, sku) == 0
    with pg_db.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Order)) == 1


async def test_cooperative_checkouts_get_distinct_order_numbers(pg_db: Database) -> None:
    sku = make_sku(pg_db, stock=100)
    buyer = make_shopper(pg_db)

    def five() -> list[str]:
        return [order_one(pg_db, buyer, sku) for _ in range(5)]

    batches = await asyncio.gather(*(cooperative.run(five) for _ in range(8)))
    numbers = [n for batch in batches for n in batch]
    assert len(set(numbers)) == 40
    assert stock_of(pg_db, sku) == 60
