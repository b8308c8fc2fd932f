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
    worker_threads: int = 32  # threads running the (sync) dialogue

    @property
    def safe_mode_available(self) -> bool:
        return bool(self.encoding_aes_key)
