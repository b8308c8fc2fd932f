"""The runtime context tasks get their collaborators from.

The composition root (`siyu/`) builds one object per process and installs it
with `set_runtime(obj)` before the worker starts (or, in eager mode, before
the first task is queued).  Tasks call `runtime()` and use attributes, duck
typed (see `worker.ports` for what each task needs):

- `kv`: `get`, `set(key, value, ttl)`, `set_nx(key, value, ttl)`, `delete`
- `wechat_api`: `upload_media(kind, data, filename) -> media_id`, `send_image`, `send_text`
- `poster_service`: `render_for(openid, kind, ref_id) -> RenderedPoster`-like
- `db`, `settings`, `jobs` (name → callable, for beat's `worker.run_job`)
"""

from __future__ import annotations

import threading
from typing import Any

_lock = threading.Lock()
_runtime: Any = None


class RuntimeNotInstalled(RuntimeError):
    """A task ran before the composition root called `set_runtime`."""


def set_runtime(obj: Any) -> None:
    global _runtime
    with _lock:
        _runtime = obj


def clear_runtime() -> None:
    set_runtime(None)


def runtime() -> Any:
    current = _runtime
    if current is None:
        raise RuntimeNotInstalled("worker runtime not installed: call worker.runtime.set_runtime() at boot")
    return current
