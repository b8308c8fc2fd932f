"""Parametric QR codes for share material, one per (distributor, product), cached until near expiry.

Temporary QR codes live at most 30 days (`TEMP_QR_MAX_SECONDS`); one is asked
for with the full lifetime and reused while at least `renew_before` seconds of
it remain, so a poster shared today still scans for a week or more.  The ticket
sits in the central KV (one per scene for every process); the cache entry
expires itself when it is time to renew.

Scenes: `d_<code>` / `d_<code>_p<id>` (commerce.distribution.binding) carry the
referral; when distribution is off, posters carry the plain `s_shop` / `s_p<id>`
(not a referral: the scan handler ignores it).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from bot.wechat_api import TEMP_QR_MAX_SECONDS, QrTicket
from commerce.distribution.binding import SCENE_MAX, ReferralScene

log = logging.getLogger("siyu.referral_qr")

RENEW_BEFORE_SECONDS = 7 * 24 * 3600
KEY_PREFIX = "poster:qr:"


class QrApi(Protocol):
    def create_qrcode(self, scene_str: str, expire_seconds: int = TEMP_QR_MAX_SECONDS) -> QrTicket: ...


class QrKV(Protocol):
    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str, ttl: float | None = None) -> None: ...


@dataclass(frozen=True)
class SceneQr:
    scene: str
    ticket: str
    url: str  # what the QR encodes
    expires_at: float  # unix time


def share_scene(code: str | None, product_id: int | None = None) -> str:
    """The QR scene for a poster: the distributor's referral scene, or a plain one without a code."""
    if code:
        return ReferralScene(code, product_id).render()
    scene = f"s_p{product_id}" if product_id is not None else "s_shop"
    if len(scene) > SCENE_MAX:
        raise ValueError("scene_str longer than 64 characters")
    return scene


class ReferralQrCodes:
    def __init__(self, api: QrApi, kv: QrKV, *, lifetime_seconds: int = TEMP_QR_MAX_SECONDS,
                 renew_before_seconds: int = RENEW_BEFORE_SECONDS, clock: Callable[[], float] = time.time) -> None:
        if renew_before_seconds >= lifetime_seconds:
            raise ValueError("renew_before_seconds must be shorter than the QR lifetime")
        self._api, self._kv, self._clock = api, kv, clock
        self._lifetime, self._renew_before = lifetime_seconds, renew_before_seconds

    def for_scene(self, scene: str) -> SceneQr:
        """The cached code for `scene` while it has `renew_before` left, else a new one from the API."""
        cached = self._cached(scene)
        if cached is not None and cached.expires_at - self._clock() > self._renew_before:
            return cached
        ticket = self._api.create_qrcode(scene, self._lifetime)
        lifetime = ticket.expire_seconds or self._lifetime
        qr = SceneQr(scene, ticket.ticket, ticket.url, self._clock() + lifetime)
        keep = lifetime - self._renew_before
        if keep > 0:
            self._kv.set(KEY_PREFIX + scene, json.dumps(asdict(qr)), ttl=keep)
        log.info("new QR ticket for scene %s (valid %d s)", scene, lifetime)
        return qr

    def _cached(self, scene: str) -> SceneQr | None:
        raw = self._kv.get(KEY_PREFIX + scene)
        if not raw:
            return None
        try:
            data: dict[str, Any] = json.loads(raw)
            return SceneQr(str(data["scene"]), str(data["ticket"]), str(data["url"]), float(data["expires_at"]))
        except (ValueError, KeyError, TypeError):
            log.warning("unreadable cached QR for scene %s; asking for a new one", scene)
            return None
