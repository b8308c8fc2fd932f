"""~10-line fakes of the worker runtime's collaborators (no mock.patch of our code)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from worker.errors import TransientError
from worker.ports import RenderedPoster


class FakeKV:
    def __init__(self) -> None:
        self.data: dict[str, str] = {}
        self.ttls: dict[str, float | None] = {}

    def get(self, key: str) -> str | None:
        return self.data.get(key)

    def set(self, key: str, value: str, ttl: float | None = None) -> None:
        self.data[key], self.ttls[key] = value, ttl

    def set_nx(self, key: str, value: str, ttl: float) -> bool:
        if key in self.data:
            return False
        self.set(key, value, ttl)
        return True

    def delete(self, key: str) -> None:
        self.data.pop(key, None)


@dataclass
class FakeWechatApi:
    fail_next: list[BaseException] = field(default_factory=list)  # raised by the next send_image calls
    sent: list[tuple[str, str, str]] = field(default_factory=list)
    uploads: list[tuple[str, bytes, str]] = field(default_factory=list)
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    def upload_media(self, kind: str, data: bytes, filename: str) -> str:
        self.uploads.append((kind, data, filename))
        return f"media-{next(self._ids)}"

    def send_image(self, openid: str, media_id: str) -> None:
        if self.fail_next:
            raise self.fail_next.pop(0)
        self.sent.append(("image", openid, media_id))

    def send_text(self, openid: str, text: str) -> None:
        self.sent.append(("text", openid, text))


@dataclass
class FakePosterService:
    renders: list[tuple[str, str, str]] = field(default_factory=list)

    def render_for(self, openid: str, kind: str, ref_id: str) -> RenderedPoster:
        self.renders.append((openid, kind, ref_id))
        return RenderedPoster(data=b"\xff\xd8jpeg", cache_key=f"{kind}-{ref_id}", copy=f"好物推荐 {ref_id}")


@dataclass
class FakeRuntime:
    kv: FakeKV = field(default_factory=FakeKV)
    wechat_api: FakeWechatApi = field(default_factory=FakeWechatApi)
    poster_service: FakePosterService = field(default_factory=FakePosterService)
    jobs: dict[str, Any] = field(default_factory=dict)


class WechatBusy(TransientError):
    """Stands in for the WeChat client's `-1 system busy` error."""
