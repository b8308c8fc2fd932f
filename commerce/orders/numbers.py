"""Human-friendly order numbers: `SY` + yyyymmdd (China time) + 6-digit daily sequence.

The counter is one row per day in `order_sequences`, bumped with a conditional
`UPDATE … SET last = last + n RETURNING last` (first use of a day inserts the row,
`ON CONFLICT DO NOTHING`, then bumps).  Unique under any concurrency on both
databases.

On PostgreSQL the bump runs in its own short autocommit transaction and takes a
block of numbers for this process (hi/lo), so the counter row is never locked for
the length of a checkout — otherwise every checkout of the day would queue behind
it.  Numbers are therefore unique but not strictly in creation order across
processes, and a restart may leave a gap of up to BLOCK_SIZE - 1 numbers per process (a
block of 100 makes the bump ~1% of checkouts; the daily sequence has 999,999).  On
SQLite (single writer anyway) the bump runs inside the caller's transaction, one number
at a time.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from commerce import cooperative
from commerce.clock import china_now
from commerce.db import UnitOfWork
from commerce.orders.model import OrderSequence

PREFIX = "SY"
BLOCK_SIZE = 100


def format_order_no(day: str, seq: int) -> str:
    return f"{PREFIX}{day}{seq:06d}"


def bump(conn: Connection, day: str, n: int) -> int:
    """Advance the day's counter by n; returns the new last value."""
    stmt = (
        update(OrderSequence)
        .where(OrderSequence.day == day)
        .values(last=OrderSequence.last + n)
        .returning(OrderSequence.last)
    )
    last = conn.execute(stmt).scalar()
    if last is not None:
        return int(last)
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(OrderSequence).values(day=day, last=0).on_conflict_do_nothing())
    return int(conn.execute(stmt).scalar_one())


@dataclass
class _Block:
    day: str = ""
    next: int = 1
    end: int = 0  # inclusive


class _BlockAllocator:
    def __init__(self) -> None:
        self._lock = cooperative.Lock()  # held across the block's database bump
        self._block = _Block()

    def take(self, engine: Engine, day: str) -> int:
        with self._lock:
            b = self._block
            if b.day != day or b.next > b.end:
                with engine.begin() as conn:
                    last = bump(conn, day, BLOCK_SIZE)
                b = self._block = _Block(day, last - BLOCK_SIZE + 1, last)
            seq = b.next
            b.next += 1
            return seq


_allocators: weakref.WeakKeyDictionary[Engine, _BlockAllocator] = weakref.WeakKeyDictionary()
_allocators_lock = threading.Lock()


def _allocator(engine: Engine) -> _BlockAllocator:
    with _allocators_lock:
        alloc = _allocators.get(engine)
        if alloc is None:
            alloc = _allocators[engine] = _BlockAllocator()
        return alloc


def next_order_no(uow: UnitOfWork) -> str:
    conn = uow.session.connection()
    if conn.dialect.name == "postgresql":
        return next_postgres_order_no(conn.engine)
    day = china_now().strftime("%Y%m%d")
    return format_order_no(day, bump(conn, day, 1))


def next_postgres_order_no(engine: Engine) -> str:
    """The next number from this process's block (a new block is bumped in its own short transaction)."""
    day = china_now().strftime("%Y%m%d")
    return format_order_no(day, _allocator(engine).take(engine, day))


def last_issued(uow: UnitOfWork, day: str) -> int:
    """The day's counter (numbers ≤ this have been handed out or reserved)."""
    return int(uow.session.scalar(select(OrderSequence.last).where(OrderSequence.day == day)) or 0)
