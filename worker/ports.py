"""What the tasks need from the runtime, as protocols (duck typed, nothing to subclass)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


class KV(Protocol):
    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str, ttl: float | None = None) -> None: ...
    def set_nx(self, key: str, value: str, ttl: float) -> bool: ...
    def delete(self, key: str) -> None: ...


class WechatMediaApi(Protocol):
    def upload_media(self, kind: str, data: bytes, filename: str) -> str: ...
    def send_image(self, openid: str, media_id: str) -> object: ...
    def send_text(self, openid: str, text: str) -> object: ...


@dataclass(frozen=True)
class RenderedPoster:
    """What `poster_service.render_for` returns (any object with these attributes will do)."""

    data: bytes = field(repr=False)
    cache_key: str
    media_id: str | None = None  # a still-valid uploaded media id, if the service knows one
    copy: str | None = None  # promo text sent after the image


class PosterService(Protocol):
    def render_for(self, openid: str, kind: str, ref_id: str) -> RenderedPoster: ...


class Runtime(Protocol):
    kv: KV
    wechat_api: WechatMediaApi
    poster_service: PosterService
