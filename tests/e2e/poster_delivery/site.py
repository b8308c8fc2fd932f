"""The whole app under uvicorn on a free port (real /wechat, sandbox, dialogue), for share-material journeys.

`PosterSite` talks to it like WeChat's servers and a phone do: `say(openid, text)`
through `/sandbox/send`, `outbox(openid)`, `scan(openid, url)`; `poster_qr(message)`
downloads an image from the outbox and decodes its QR code with zxing-cpp.
"""

from __future__ import annotations

import hashlib
import io
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import zxingcpp
from PIL import Image

ROOT = Path(__file__).resolve().parents[3]


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


class PosterSite:
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
        config = uvicorn.Config(create_app(self.container), host="127.0.0.1", port=self.port,
                                log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.http = httpx.Client(base_url=self.base_url, timeout=15)

    def __enter__(self) -> PosterSite:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the app did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.http.close()

    # -- as WeChat and the phone -------------------------------------------------
    def send(self, openid: str, **action: Any) -> dict[str, Any]:
        action.setdefault("msgtype", "text")
        r = self.http.post("/sandbox/send", json={"openid": openid, **action})
        assert r.status_code == 200, r.text
        return r.json()  # type: ignore[no-any-return]

    def say(self, openid: str, text: str) -> str:
        reply = self.send(openid, content=text)["reply"]
        return str(reply.get("content", reply))

    def scan(self, openid: str, url: str) -> dict[str, Any]:
        return self.send(openid, msgtype="event", event="scan_qr", url=url)

    def outbox(self, openid: str) -> list[dict[str, Any]]:
        data = self.http.get("/sandbox/outbox", params={"openid": openid}).json()
        return data["messages"] if isinstance(data, dict) else data  # type: ignore[no-any-return]

    def wait_outbox(self, openid: str, done: Callable[[list[dict[str, Any]]], bool],
                    seconds: float = 30) -> list[dict[str, Any]]:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            messages = self.outbox(openid)
            if done(messages):
                return messages
            time.sleep(0.1)
        raise AssertionError(f"outbox of {openid}: {self.outbox(openid)}")

    def media(self, message: dict[str, Any]) -> bytes:
        r = self.http.get(message["url"])
        assert r.status_code == 200, r.text
        return r.content

    def poster_qr(self, message: dict[str, Any]) -> str:
        """The content of the single QR code on an image sent to the user."""
        found = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(self.media(message))))]
        assert len(found) == 1, found
        return found[0]

    def resolve(self, qr_url: str) -> str:
        r = self.http.get("/sandbox/qrcode/resolve", params={"url": qr_url})
        assert r.status_code == 200, r.text
        return str(r.json()["scene_str"])


def of_type(messages: list[dict[str, Any]], msgtype: str) -> list[dict[str, Any]]:
    return [m for m in messages if m.get("msgtype") == msgtype]
