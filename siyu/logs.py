"""Structured logging: request id and hashed openid on every line, never personal data."""

from __future__ import annotations

import contextvars
import hashlib
import logging
import sys

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
openid_var: contextvars.ContextVar[str] = contextvars.ContextVar("openid_hash", default="-")


def hash_openid(openid: str) -> str:
    return hashlib.sha256(openid.encode()).hexdigest()[:12] if openid else "-"


class _ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.openid = openid_var.get()
        return True


def configure_logging(level: str = "INFO", json_lines: bool = False) -> None:
    fmt = (
        '{"t":"%(asctime)s","level":"%(levelname)s","logger":"%(name)s","rid":"%(request_id)s",'
        '"user":"%(openid)s","msg":"%(message)s"}'
        if json_lines
        else "%(asctime)s %(levelname)s %(name)s rid=%(request_id)s user=%(openid)s %(message)s"
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(fmt))
    handler.addFilter(_ContextFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("jieba", "httpx", "httpcore", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
