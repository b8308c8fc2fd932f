"""Flash-sale benchmark: one hot SKU, 16 concurrent buyers, PostgreSQL.

    .venv/bin/python bench/inventory.py [--workers 16] [--stock 3000] [--floor-stock 10000]

ours   full checkouts through `commerce.orders.services.place_order` (each creates a real
       order with lines, encrypted receiver, order number, cart clean-up) committed one per
       transaction, from 16 worker processes (one connection each) until the SKU sells out.
floor  the bare guarded decrement `UPDATE skus SET stock = stock - 1 WHERE id = … AND
       stock >= 1`, one durable transaction each, from 16 connections, on the same server.

Asserts 0 oversold units (final stock 0, successes == initial stock == orders created)
and writes bench/results/inventory.json.  Runs in a private temporary database that it
creates and drops (SIYU_BENCH_PG_ADMIN overrides the admin URL).

Measured on the shared 2-core machine (others' test suites running, load average 3-16),
before/after the PostgreSQL checkout fast path (commerce/orders/fastpath.py), run
alternately in the same minutes:

    before   floor 1,135-1,533/s   ours  79-108/s   ratio 0.05-0.075  (3 runs)
    after    floor 1,716-2,418/s   ours 388-537/s   ratio 0.17-0.295  (5 runs)

Then (2026-11-25, load average 7-14 from other agents, floor only ~440-580/s), the
previous commit and this one run alternately: ours 141-172/s → 163-184/s, ratio
0.28-0.37 → 0.37-0.39.  What went: the checkout that commits runs on a pool connection
of its own in autocommit mode instead of the ORM session's (`UnitOfWork.autocommit_connection`:
no session transaction, session commit or identity-map sync), and the redundant index on
orders.customer_id (one index write less per order; the planner had used it for the
idempotency-key lookup and filtered all the buyer's orders).  Client CPU per sequential
checkout 2.5 → 2.0 ms on that machine; psycopg's two executes are ~half of what is left.

On an idle machine the floor is ~3,200/s and ours was ~175/s (0.055) before.  Ours is
CPU-bound (16 client processes + 16 backends on 2 cores; the hot row is not the limit):
~0.65 ms client + ~0.5 ms server CPU per checkout, 3 round trips (pool pre-ping, read,
write) against the floor's 1 round trip and ~0.19 ms CPU, so the ratio falls when other
work takes CPU away — the floor is bounded by the row lock and commit flush instead.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402

import commerce.models  # noqa: E402,F401
from commerce.db import Base, Database  # noqa: E402
from commerce.privacy.crypto import KeyRing, configure_keys  # noqa: E402

ADMIN_URL = os.environ.get("SIYU_BENCH_PG_ADMIN", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TARGET = 0.3
KEYS = KeyRing.generate_spec("bench")


def _create_database() -> tuple[str, str]:
    name = f"siyu_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    Base.metadata.create_all(engine)
    engine.dispose()
    return name, url


def _drop_database(name: str) -> None:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _seed(db: Database, *, code: str, stock: int, buyers: int) -> tuple[int, list[tuple[str, int]]]:
    from commerce.catalog.model import Product, Sku
    from commerce.customers import services as customers

    with db.uow() as uow:
        product = Product(code=code, name="秒杀爆款 赣南脐橙 5斤装", kind="seckill")
        product.skus = [Sku(code=f"{code}-1", spec={"规格": "5斤"}, price_fen=3990, stock=stock, weight_g=2500)]
        uow.session.add(product)
        shoppers = []
        for i in range(buyers):
            openid = f"o-bench-{code}-{i}"
            customers.give_consent(uow, openid)
            addr = customers.save_address(uow, openid, receiver_name="李四", phone="13900139000",
                                          province="浙江省", detail="杭州市西湖区文三路 100 号")
            shoppers.append((openid, addr.id))
        uow.commit()
        return product.skus[0].id, shoppers


# -- ours --------------------------------------------------------------------------------------
def _buyer(url: str, sku_id: int, openid: str, address_id: int, start: Any, out: Any) -> None:
    from commerce.inventory.errors import OutOfStock
    from commerce.orders.services import place_order

    configure_keys(KeyRing.parse(KEYS))
    db = Database.from_url(url, pool_size=1)
    with db.uow() as uow:  # warm the connection and the ORM before the clock starts
        uow.session.execute(text("SELECT 1"))
    start.wait()
    done = 0
    while True:
        try:
            with db.uow() as uow:
                place_order(uow, openid, address_id=address_id, items=[(sku_id, 1)], commit=True)
            done += 1
        except OutOfStock:
            break
    out.put(done)
    db.dispose()


def run_ours(url: str, workers: int, stock: int) -> dict[str, Any]:
    db = Database.from_url(url, pool_size=2)
    sku_id, shoppers = _seed(db, code="HOT", stock=stock, buyers=workers)
    ctx = mp.get_context("fork")
    start, out = ctx.Barrier(workers + 1), ctx.Queue()
    procs = [ctx.Process(target=_buyer, args=(url, sku_id, openid, addr, start, out)) for openid, addr in shoppers]
    for p in procs:
        p.start()
    start.wait()
    t0 = time.perf_counter()
    counts = [out.get() for _ in procs]
    elapsed = time.perf_counter() - t0
    for p in procs:
        p.join()
    from commerce.catalog.model import Sku
    from commerce.orders.model import Order, OrderLine

    with db.uow() as uow:
        final = uow.session.scalar(select(Sku.stock).where(Sku.id == sku_id))
        orders = uow.session.scalar(select(func.count()).select_from(Order))
        units = uow.session.scalar(select(func.coalesce(func.sum(OrderLine.quantity), 0)))
    db.dispose()
    sold = sum(counts)
    return {"checkouts_per_s": round(sold / elapsed, 1), "sold": sold, "initial_stock": stock,
            "final_stock": final, "orders": orders, "units_in_orders": units,
            "oversold": max(0, units - stock) + max(0, -(final or 0)), "seconds": round(elapsed, 3),
            "workers": workers}


# -- floor -------------------------------------------------------------------------------------
def run_floor(url: str, workers: int, stock: int) -> dict[str, Any]:
    db = Database.from_url(url, pool_size=2)
    sku_id, _ = _seed(db, code="FLOOR", stock=stock, buyers=0)
    db.dispose()
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    conns = [psycopg.connect(dsn, autocommit=True) for _ in range(workers)]
    start = threading.Barrier(workers + 1)
    counts = [0] * workers

    def work(i: int) -> None:
        cur = conns[i].cursor()
        start.wait()
        while True:
            cur.execute("UPDATE skus SET stock = stock - 1 WHERE id = %s AND stock >= 1", (sku_id,))
            if cur.rowcount == 0:
                return
            counts[i] += 1

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    with conns[0].cursor() as cur:
        cur.execute("SELECT stock FROM skus WHERE id = %s", (sku_id,))
        final = cur.fetchone()[0]  # type: ignore[index]
    for c in conns:
        c.close()
    done = sum(counts)
    return {"decrements_per_s": round(done / elapsed, 1), "sold": done, "initial_stock": stock,
            "final_stock": final, "oversold": max(0, done - stock), "seconds": round(elapsed, 3),
            "workers": workers}


def _machine() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--stock", type=int, default=3000, help="units of the hot SKU for the checkout run")
    parser.add_argument("--floor-stock", type=int, default=10000, help="units for the raw-decrement run")
    args = parser.parse_args(argv)
    configure_keys(KeyRing.parse(KEYS))
    name, url = _create_database()
    try:
        floor = run_floor(url, args.workers, args.floor_stock)
        ours = run_ours(url, args.workers, args.stock)
    finally:
        _drop_database(name)
    ratio = round(ours["checkouts_per_s"] / floor["decrements_per_s"], 3)
    result = {"name": "inventory", "ours": ours, "floor": floor, "ratio": ratio, "target": f">= {TARGET}",
              "meets_target": ratio >= TARGET and ours["oversold"] == 0, "machine": _machine()}
    print(f"{'':24}{'rate/s':>10}{'sold':>8}{'final stock':>13}{'oversold':>10}")
    print(f"{'floor (bare UPDATE)':24}{floor['decrements_per_s']:>10}{floor['sold']:>8}"
          f"{floor['final_stock']:>13}{floor['oversold']:>10}")
    print(f"{'ours (place_order)':24}{ours['checkouts_per_s']:>10}{ours['sold']:>8}"
          f"{ours['final_stock']:>13}{ours['oversold']:>10}")
    print(f"ratio {ratio} (target >= {TARGET}) -> {'OK' if result['meets_target'] else 'MISSED'}")
    out = ROOT / "bench" / "results" / "inventory.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    assert ours["oversold"] == 0 and ours["final_stock"] == 0, "oversold!"
    assert ours["sold"] == args.stock == ours["orders"] == ours["units_in_orders"], "sold count mismatch"
    assert floor["oversold"] == 0 and floor["final_stock"] == 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
