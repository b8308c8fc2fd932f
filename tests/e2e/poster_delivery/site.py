"""The whole app under uvicorn on a free port (real /wechat, sandbox, dialogue), for share-material journeys.

`PosterSite` talks to it like WeChat's servers and a phone do: `say(openid, text)`
through `/sandbox/send`, `outbox(openid)`, `scan(openid, url)`; `poster_qr(message)`
downloads an image from the outbox and decodes its QR code with zxing-cpp.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import zxingcpp
from PIL import Image

from tests.e2e.live_app import ROOT, LiveApp, cached_nlu_model_path, free_port

__all__ = ["ROOT", "PosterSite", "cached_nlu_model_path", "free_port", "of_type"]


class PosterSite(LiveApp):
    seed = False

    def __init__(self, data_dir: Path, **settings: Any) -> None:
        super().__init__(data_dir, **settings)
        self.http = httpx.Client(base_url=self.base_url, timeout=15)

    def __exit__(self, *exc: object) -> None:
        super().__exit__(*exc)
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
