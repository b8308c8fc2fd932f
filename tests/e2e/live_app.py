"""The whole app under uvicorn in a thread on a free port: real /wechat, sandbox, dialogue, pay page.

Private SQLite file and in-process KV unless settings override them; the NLU model is
trained once per version of the NLU code and data and shared by test runs.
"""

from __future__ import annotations

import hashlib
import socket
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cached_nlu_model_path() -> str:
    """One trained model per version of the NLU code and data, shared by test runs (training takes ~25 s)."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "nlu").rglob("*")):
        if path.is_file() and path.suffix in (".py", ".yml"):
            digest.update(path.read_bytes())
    return str(Path(tempfile.gettempdir()) / "siyu-test-nlu" / f"model-{digest.hexdigest()[:16]}.pkl")


class LiveApp:
    """`with LiveApp(tmp_dir, **settings) as app:` — `app.base_url`, `app.container`, `app.settings`."""

    seed = True
    start_timeout_s = 60.0

    def __init__(self, data_dir: Path, **settings: Any) -> None:
        import uvicorn

        from commerce.db import Base
        from siyu.app import create_app
        from siyu.container import boot
        from siyu.settings import load_settings

        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        overrides: dict[str, Any] = {
            "mode": "demo", "data_dir": data_dir, "public_base_url": self.base_url,
            "database": {"url": f"sqlite:///{data_dir / 'siyu.db'}"}, "redis": {"url": ""},
            "nlu": {"model_path": cached_nlu_model_path()},
        }
        overrides.update(settings)
        self.settings = load_settings(**overrides)
        self.container = boot(self.settings, logging_on=False)
        Base.metadata.create_all(self.container.db.engine)
        if self.seed:
            from siyu.seed import seed_demo_shop

            seed_demo_shop(self.container)
        config = uvicorn.Config(create_app(self.container), host="127.0.0.1", port=self.port,
                                log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveApp:
        self.thread.start()
        deadline = time.monotonic() + self.start_timeout_s
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the app did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
