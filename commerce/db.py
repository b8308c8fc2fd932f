"""Engine, declarative base and the one unit-of-work helper.

Services take a `UnitOfWork` factory and use it as a context manager:

    with uow_factory() as uow:
        order = uow.session.get(Order, order_id)
        ...
        uow.commit()

Anything not committed is rolled back on exit.  Callbacks registered with
`uow.after_commit(fn)` run only once the transaction has committed (used to
enqueue Celery tasks and send notifications "after commit").
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from types import TracebackType
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer, MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from commerce.clock import now

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# BIGINT on PostgreSQL, INTEGER on SQLite (so SQLite keeps ROWID autoincrement).
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class IdMixin:
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now, onupdate=now)


PING_IDLE_AFTER_SECONDS = 1.0


def make_engine(url: str, *, echo: bool = False, pool_size: int = 10,
                ping_idle_after: float = PING_IDLE_AFTER_SECONDS) -> Engine:
    """Create the engine for PostgreSQL (production, tests) or SQLite (demo, tests)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    from commerce.cooperative import CooperativePool

    engine = create_engine(url, echo=echo, pool_size=pool_size, max_overflow=pool_size * 2,
                           poolclass=CooperativePool)
    if engine.dialect.driver == "psycopg":
        cooperative_connections(engine)
    ping_when_idle(engine, ping_idle_after)
    track_writes(engine)
    return engine


def cooperative_connections(engine: Engine) -> None:
    """psycopg connections that wait cooperatively inside `cooperative.run` (the chat's dialogue on
    the event loop) and block as usual elsewhere."""
    from commerce.cooperative import CooperativeConnection

    @event.listens_for(engine, "do_connect")
    def _connect(_dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        return CooperativeConnection.connect(*cargs, **cparams)


WROTE = "siyu.wrote"  # connection info key: this transaction ran something other than a SELECT


def track_writes(engine: Engine) -> None:
    """Note on the connection when its transaction runs anything but a plain SELECT (DML, DDL, SET,
    a WITH that may modify…), so that a unit of work that only read can end with COMMIT.

    Why: psycopg forgets its prepared statements on every ROLLBACK of a transaction
    (`DEALLOCATE ALL`, one more round trip, and the counts towards `prepare_threshold` restart),
    and most units of work that only read end in one — so the checkout fast path's prepared
    statements were dropped after nearly every chat lookup, re-prepared and re-planned.  A read-only
    transaction ends the same with COMMIT as with ROLLBACK.  Measured (one process, alternating
    blocks, loaded 2-core machine): a checkout following a chat lookup took 12.4-14.0 ms → 8.5-9.3 ms
    (median wall; client CPU 2.7-3.0 → 2.3-2.5 ms), one DEALLOCATE ALL per lookup → none.  Code that
    writes through the raw psycopg connection marks it itself (`UnitOfWork.psycopg_connection(writes=True)`,
    the checkout fast path)."""

    @event.listens_for(engine, "begin")
    def _clean(conn: Any) -> None:
        conn.info.pop(WROTE, None)

    @event.listens_for(engine, "before_cursor_execute")
    def _mark(conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool) -> None:
        if statement.lstrip()[:6].upper() != "SELECT":
            conn.info[WROTE] = True


def ping_when_idle(engine: Engine, idle_seconds: float) -> None:
    """Pessimistic disconnect handling, for connections that sat in the pool: a connection idle
    for `idle_seconds` or more is pinged on checkout and, if dead (server restarted, idle
    connection dropped), replaced before anyone uses it.  Connections in steady use skip the
    ping — `pool_pre_ping` pinged on every checkout: a round trip per unit of work (measured
    ~0.03-0.05 ms of client CPU plus the round trip, on every chat message)."""

    @event.listens_for(engine.pool, "checkin")
    def _idle_from(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine.pool, "checkout")
    def _ping_if_idle(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:  # noqa: BLE001 - any failure: the pool invalidates it and connects anew
            raise DisconnectionError("pooled connection failed its idle ping") from exc


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


class UnitOfWork:
    """One transaction.  Use as a context manager; call `commit()` explicitly."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory
        self._after_commit: list[Callable[[], None]] = []
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        self._after_commit = []
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if exc_type is None and self._only_read():
                self.session.commit()  # same outcome as ROLLBACK, but psycopg keeps its prepared statements
            else:
                self.session.rollback()
        finally:
            self.session.close()

    def _only_read(self) -> bool:
        """On PostgreSQL/psycopg: an open transaction that ran only SELECTs and has nothing pending."""
        s = self.session
        if not s.in_transaction() or s.new or s.dirty or s.deleted:
            return False
        conn = s.connection()
        return conn.dialect.driver == "psycopg" and not conn.info.get(WROTE)

    def commit(self) -> None:
        s = self.session
        if s.in_transaction() or s.new or s.dirty or s.deleted:  # else nothing to commit (an autocommitted checkout)
            s.commit()
        callbacks, self._after_commit = self._after_commit, []
        for fn in callbacks:
            fn()

    def rollback(self) -> None:
        self.session.rollback()
        self._after_commit = []

    @property
    def engine(self) -> Engine:
        """The engine this unit works on — found without opening a session (a read-only unit opens
        none for its plain-connection lookups, and the catalog snapshot only needs the engine)."""
        bind = self._session_factory.kw.get("bind")
        if bind is None:
            bind = self.session.get_bind()
        return bind if isinstance(bind, Engine) else bind.engine  # type: ignore[no-any-return]

    def after_commit(self, fn: Callable[[], None]) -> None:
        self._after_commit.append(fn)

    @contextmanager
    def autocommit_connection(self) -> Iterator[Any | None]:
        """While this unit of work has no transaction open and nothing pending: a pooled psycopg
        connection of its own in autocommit mode, for statements that commit themselves (the
        checkout fast path with `commit=True`) — no ORM session, BEGIN or COMMIT around them
        (measured: ~0.4 ms less client CPU per checkout).  None when a transaction is open (use
        `psycopg_connection`) or off PostgreSQL/psycopg.  Using `session` meanwhile takes a
        second pool connection."""
        s = self.session
        busy = s.in_transaction() or s.new or s.dirty or s.deleted  # its statements must see what is pending
        plain = None if busy else plain_connection(self._session_factory.kw["bind"])
        try:
            yield None if plain is None else plain.driver_connection
        finally:
            if plain is not None:
                release_plain(plain)

    def psycopg_connection(self, *, writes: bool = False) -> Any | None:
        """The psycopg connection under this unit of work's transaction, or None off PostgreSQL/psycopg.

        For hot paths that run SQL directly (~0.02 ms of client CPU per statement, against
        ~0.1-0.3 ms through SQLAlchemy Core/ORM); pending ORM changes are flushed first, so
        those statements see everything done earlier in this unit of work.  Pass `writes=True`
        before writing (a read-only unit refuses): a unit that is not committed then ends in
        ROLLBACK, otherwise in COMMIT so psycopg keeps its prepared statements (`track_writes`).
        """
        conn = self.session.connection()
        if conn.dialect.name != "postgresql" or conn.dialect.driver != "psycopg":
            return None
        self.session.flush()
        if writes:
            conn.info[WROTE] = True
        return conn.connection.driver_connection


def plain_connection(engine: Engine) -> Any | None:
    """A pooled connection in autocommit mode, outside any session (None off PostgreSQL/psycopg);
    give it back with `release_plain`."""
    if engine.dialect.name != "postgresql" or engine.dialect.driver != "psycopg":
        return None
    plain = engine.raw_connection()
    plain.driver_connection.autocommit = True
    return plain


def release_plain(plain: Any) -> None:
    driver = plain.driver_connection
    if driver is None or driver.closed or driver.broken:
        plain.invalidate()
        return
    driver.autocommit = False
    plain.close()  # back to the pool


class ReadUnitOfWork(UnitOfWork):
    """A unit of work that only reads (`db.reads()`): the chat's lookups — a search page's stock,
    a product detail, the cart view.

    On PostgreSQL `psycopg_connection()` is a pooled connection in autocommit mode, with no
    ORM session, BEGIN or ROLLBACK around it (measured: ~0.13 ms of client CPU for a one-query
    lookup instead of ~0.27 ms).  Each statement sees what is committed when it runs, as in a
    READ COMMITTED transaction.  The session is opened only when asked for (ORM reads, SQLite);
    the plain connection goes back to the pool first, so a unit holds one connection at most.
    Nothing can be committed, and `psycopg_connection(writes=True)` is refused.
    """

    def __enter__(self) -> ReadUnitOfWork:
        self._after_commit = []
        self._session: Session | None = None
        self._plain: Any | None = None  # a pool connection (autocommit) while no session is open
        return self

    @property  # type: ignore[override]
    def session(self) -> Session:
        self._release_plain()
        if self._session is None:
            self._session = self._session_factory()
        return self._session

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._release_plain()
        if self._session is not None:
            super().__exit__(exc_type, exc, tb)

    def commit(self) -> None:
        raise RuntimeError("a read-only unit of work cannot commit")

    def psycopg_connection(self, *, writes: bool = False) -> Any | None:
        if writes:
            raise RuntimeError("a read-only unit of work cannot write")
        if self._session is not None and self._session.in_transaction():
            return super().psycopg_connection()
        if self._plain is None:
            self._plain = plain_connection(self._session_factory.kw["bind"])
            if self._plain is None:
                return None
        return self._plain.driver_connection

    def _release_plain(self) -> None:
        plain, self._plain = self._plain, None
        if plain is not None:
            release_plain(plain)


class Database:
    """Engine + session factory; `db.uow()` opens a unit of work, `db.reads()` a read-only one."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.session_factory = sessionmaker(bind=engine, expire_on_commit=False)

    @classmethod
    def from_url(cls, url: str, **kw: Any) -> Database:
        return cls(make_engine(url, **kw))

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory)

    def reads(self) -> ReadUnitOfWork:
        return ReadUnitOfWork(self.session_factory)

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()
