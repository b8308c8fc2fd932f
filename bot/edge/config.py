"""What the edge needs to know, as one frozen value (built by `siyu/` from the settings)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EdgeConfig:
    token: str
    app_id: str
    encoding_aes_key: str = ""  # 43 chars; empty = plaintext callbacks only
    original_id: str = "gh_siyu"
    timestamp_tolerance_seconds: int = 300
    reply_deadline_seconds: float = 4.0
    max_body_bytes: int = 64 * 1024
    dedup_ttl_seconds: int = 60
    # Threads running the (sync) dialogue.  They mostly wait on PostgreSQL/Redis round trips, so a
    # few keep 2 cores busy; more only queue on the GIL — and beyond the database pool size they
    # make SQLAlchemy open and close overflow connections (measured at c=50 with 32 threads and a
    # pool of 10: 60-70 new PostgreSQL connections per 3,000 messages, each a server fork).
    worker_threads: int = 8
    # Run the dialogue on the event loop (`commerce.cooperative`) instead of a worker thread — only
    # with cooperative database and cache connections (PostgreSQL/psycopg, Redis or in-process).
    # At most `max_cooperative` at once (each holds a pooled database connection; waiting for one
    # would block the loop); the rest go to the threads.
    cooperative: bool = False
    max_cooperative: int = 8

    @property
    def safe_mode_available(self) -> bool:
        return bool(self.encoding_aes_key)
