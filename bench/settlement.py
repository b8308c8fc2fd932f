"""Settlement benchmark: 1,000,000 commission entries over 20,000 distributors on PostgreSQL.

Ours = `commerce.distribution.settlement.settle` (SQLAlchemy Core: flip, INSERT…SELECT
statements, batch totals).  Floor = one hand-written statement doing the same
status flip and per-distributor aggregation (a data-modifying CTE).  Both run on
the same data in the same process, alternately, after a VACUUM FULL so each
starts from the same physical table; the best of each is compared.
Also: recording commission for one paid order with 3 levels (p99).

Targets: ours ≤ 2× floor; peak RSS ≤ 300 MB; commission p99 ≤ 5 ms.
Writes bench/results/settlement.json.  Runs on its own in a private temporary
database (SIYU_BENCH_PG = admin URL, default the local `test` database).
"""

from __future__ import annotations

import json
import os
import platform
import resource
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

import commerce.models  # noqa: E402,F401
from commerce.customers.services import get_or_create  # noqa: E402
from commerce.db import Base, Database  # noqa: E402
from commerce.distribution import recruitment  # noqa: E402
from commerce.distribution.binding import bind_referral  # noqa: E402
from commerce.distribution.engine import CommissionInput, CommissionLine  # noqa: E402
from commerce.distribution.ledger import record_commission  # noqa: E402
from commerce.distribution.model import BindingSource  # noqa: E402
from commerce.distribution.policy import DistributionPolicy  # noqa: E402
from commerce.distribution.settlement import settle  # noqa: E402
from commerce.privacy.crypto import KeyRing, configure_keys  # noqa: E402

ADMIN_URL = os.environ.get("SIYU_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
N_ENTRIES = int(os.environ.get("SIYU_BENCH_ENTRIES", 1_000_000))
N_DISTRIBUTORS = int(os.environ.get("SIYU_BENCH_DISTRIBUTORS", 20_000))
ROUNDS = 2
N_ORDERS = 300
POLICY = DistributionPolicy(levels_bp=(1000, 500, 100), acknowledge_third_level=True)

SEED = [
    """INSERT INTO customers (openid, nickname, subscribed, member_level, created_at, updated_at)
       SELECT 'bench' || g, '', true, 0, now(), now() FROM generate_series(1, :n) g""",
    """INSERT INTO distributors (customer_id, code, status, grade, applied_at, invitation_code, review_note,
                                join_fee_fen, ledger_seq, created_at, updated_at)
       SELECT id, 'D' || id, 'active', '', now(), '', '', 0, 0, now(), now() FROM customers""",
    """INSERT INTO commission_entries (distributor_id, amount_fen, state, reason, idempotency_key, level, order_no,
                                      base_fen, rate_bp, ref, note, created_at)
       SELECT (g % :n) + 1, CASE WHEN g % 50 = 0 THEN -((g % 97) + 1) ELSE (g % 997) + 1 END, 'available',
              CASE WHEN g % 50 = 0 THEN 'clawback' ELSE 'commission' END, 'bench:' || g, 1 + g % 2,
              'NO' || g, (g % 9973) + 100, 1000, '', '', now()
       FROM generate_series(1, :m) g""",
]
FLOOR = """
WITH flipped AS (
  UPDATE commission_entries SET state = 'settled', settlement_id = :bid WHERE state = 'available'
  RETURNING distributor_id, amount_fen, reason)
INSERT INTO settlement_statements (batch_id, distributor_id, entry_count, commission_fen, clawback_fen, reward_fen,
                                   total_fen)
SELECT :bid, distributor_id, count(*),
       sum(CASE WHEN reason = 'commission' THEN amount_fen ELSE 0 END),
       sum(CASE WHEN reason IN ('clawback', 'forfeit') THEN amount_fen ELSE 0 END),
       sum(CASE WHEN reason = 'team_reward' THEN amount_fen ELSE 0 END),
       sum(amount_fen)
FROM flipped GROUP BY distributor_id"""


def reset(db: Database) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE commission_entries SET state = 'available', settlement_id = NULL"))
        conn.execute(text("DELETE FROM settlement_statements"))
        conn.execute(text("DELETE FROM settlement_batches"))
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM FULL ANALYZE commission_entries"))
        conn.execute(text("VACUUM FULL ANALYZE settlement_statements"))


def run_ours(db: Database, n: int) -> float:
    t0 = time.perf_counter()
    with db.uow() as uow:
        result = settle(uow, "weekly", POLICY, key=f"bench:ours:{n}")
        uow.commit()
    elapsed = time.perf_counter() - t0
    assert result.entry_count == N_ENTRIES and result.distributor_count == N_DISTRIBUTORS, result
    return elapsed


def run_floor(db: Database, n: int) -> float:
    t0 = time.perf_counter()
    with db.engine.begin() as conn:
        bid = conn.execute(text("INSERT INTO settlement_batches (period_key, kind, entry_count, distributor_count, "
                                "total_fen, created_at) VALUES (:k, 'weekly', 0, 0, 0, now()) RETURNING id"),
                           {"k": f"bench:floor:{n}"}).scalar_one()
        conn.execute(text(FLOOR), {"bid": bid})
    return time.perf_counter() - t0


def commission_latencies(db: Database) -> list[float]:
    """Record commission for N_ORDERS paid orders (3 lines, 3 levels), one transaction each."""
    with db.uow() as uow:
        code = recruitment.apply(uow, "lat-A", POLICY).code
        for oid in ("lat-B", "lat-C"):
            bind_referral(uow, oid, code, BindingSource.QR_SCAN, POLICY)
            code = recruitment.apply(uow, oid, POLICY).code
        bind_referral(uow, "lat-buyer", code, BindingSource.QR_SCAN, POLICY)
        buyer = get_or_create(uow, "lat-buyer").id
        uow.commit()
    out = []
    for n in range(N_ORDERS):
        lines = tuple(CommissionLine(n * 10 + k, 1, "食品/水果", 1, 9_900 + k) for k in range(3))
        order = CommissionInput(10_000_000 + n, buyer, lines, f"LAT{n}")
        with db.uow() as uow:  # the handler runs inside the payment's transaction: its commit is not ours
            t0 = time.perf_counter()
            assert len(record_commission(uow, order, POLICY)) == 9
            out.append((time.perf_counter() - t0) * 1000)
            uow.commit()
    return sorted(out)


def machine(db: Database) -> dict[str, object]:
    with db.engine.connect() as conn:
        pg = conn.execute(text("SHOW server_version")).scalar_one()
    return {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(), "postgresql": pg}


def main() -> int:
    configure_keys(KeyRing.parse(KeyRing.generate_spec("bench")))
    name = f"siyu_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    db = Database.from_url(ADMIN_URL.rsplit("/", 1)[0] + "/" + name, pool_size=2)
    try:
        return bench(db)
    finally:
        db.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def bench(db: Database) -> int:
    with db.engine.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    Base.metadata.create_all(db.engine)
    t0 = time.perf_counter()
    with db.engine.begin() as conn:
        for sql in SEED:
            conn.execute(text(sql), {"n": N_DISTRIBUTORS, "m": N_ENTRIES})
    print(f"seeded {N_ENTRIES:,} entries over {N_DISTRIBUTORS:,} distributors in {time.perf_counter() - t0:.1f}s")
    ours, floor = [], []
    for n in range(ROUNDS):
        reset(db)
        floor.append(run_floor(db, n))
        reset(db)
        ours.append(run_ours(db, n))
        print(f"round {n + 1}: floor {floor[-1]:.2f}s  ours {ours[-1]:.2f}s")
    lat = commission_latencies(db)
    p50, p99 = lat[len(lat) // 2], lat[min(len(lat) - 1, int(len(lat) * 0.99))]
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ratio = round(min(ours) / min(floor), 3)
    checks = {"ours <= 2x floor": ratio <= 2.0, "peak RSS <= 300 MB": rss_mb <= 300,
              "commission p99 <= 5 ms (3 levels)": p99 <= 5.0}
    result = {
        "name": "settlement",
        "ours": {"seconds": round(min(ours), 3), "runs": [round(x, 3) for x in ours], "entries": N_ENTRIES,
                 "distributors": N_DISTRIBUTORS, "peak_rss_mb": round(rss_mb, 1),
                 "commission_ms_p50": round(p50, 3), "commission_ms_p99": round(p99, 3), "commission_n": N_ORDERS},
        "floor": {"seconds": round(min(floor), 3), "runs": [round(x, 3) for x in floor]},
        "ratio": ratio,
        "target": "<= 2.0 (ours / floor); peak RSS <= 300 MB; commission p99 <= 5 ms",
        "meets_target": all(checks.values()),
        "checks": checks,
        "machine": machine(db),
    }
    print(f"floor {min(floor):.2f}s | ours {min(ours):.2f}s | ratio {ratio} | peak RSS {rss_mb:.0f} MB | "
          f"commission p50 {p50:.2f} ms p99 {p99:.2f} ms")
    for label, ok in checks.items():
        print(f"  {'ok  ' if ok else 'MISS'} {label}")
    out = ROOT / "bench" / "results" / "settlement.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
