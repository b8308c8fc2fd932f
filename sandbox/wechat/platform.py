"""The imitation's memory: access tokens, followers and their CS windows, the outbox,
uploaded media, QR tickets and the pushed menu.  Thread-safe; time from `config.clock`."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from typing import Any

from sandbox.wechat.config import WeChatSandboxConfig
from sandbox.wechat.quota import Follower, consume_cs_quota

INVALID_CREDENTIAL = 40001
INVALID_APPID = 40013
INVALID_SECRET = 40125
TOKEN_EXPIRED = 42001
MEDIA_TTL_SECONDS = 3 * 24 * 3600


@dataclass
class IssuedToken:
    expires_at: float
    revoked: bool = False
    stable: bool = False


@dataclass
class Media:
    media_id: str
    kind: str
    filename: str
    content_type: str
    created_at: float
    data: bytes = b""


@dataclass
class QrCode:
    ticket: str
    code: str
    action: str
    scene: str
    expires_at: float | None

    @property
    def url(self) -> str:
        return f"http://weixin.qq.com/q/{self.code}"


@dataclass
class Platform:
    config: WeChatSandboxConfig
    tokens: dict[str, IssuedToken] = field(default_factory=dict)
    followers: dict[str, Follower] = field(default_factory=dict)
    outbox: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    media: dict[str, Media] = field(default_factory=dict)
    qrcodes: dict[str, QrCode] = field(default_factory=dict)
    menu: dict[str, Any] | None = None
    jsapi_ticket: str = ""  # the live JS-SDK ticket (ticket/getticket?type=jsapi) and when it ends
    jsapi_ticket_expires_at: float = 0.0
    jsapi_tickets_issued: int = 0
    lock: threading.RLock = field(default_factory=threading.RLock)
    _seq: int = 0

    def now(self) -> float:
        return self.config.clock()

    # -- access tokens -----------------------------------------------------
    def check_credentials(self, app_id: str, secret: str) -> int:
        if app_id != self.config.app_id:
            return INVALID_APPID
        return 0 if secret == self.config.app_secret else INVALID_SECRET

    def issue_token(self, *, stable: bool, force: bool = False) -> tuple[str, int]:
        """/token revokes the previous /token token; stable_token reuses its own unless forced."""
        with self.lock:
            now = self.now()
            current = [(t, i) for t, i in self.tokens.items() if i.stable == stable and not i.revoked]
            if stable and not force:
                for token, info in current:
                    if info.expires_at > now:
                        return token, int(info.expires_at - now)
            for _, info in current:
                info.revoked = True
            token = secrets.token_urlsafe(24)
            self.tokens[token] = IssuedToken(now + self.config.token_ttl_seconds, stable=stable)
            return token, self.config.token_ttl_seconds

    def token_error(self, token: str) -> int:
        info = self.tokens.get(token)
        if info is None or info.revoked:
            return INVALID_CREDENTIAL
        return TOKEN_EXPIRED if info.expires_at <= self.now() else 0

    def expire_tokens(self) -> None:
        with self.lock:
            for info in self.tokens.values():
                info.expires_at = min(info.expires_at, self.now())

    def issue_jsapi_ticket(self) -> tuple[str, int]:
        """The live jsapi_ticket (7200 s, like the token's lifetime), a new one once it ended."""
        with self.lock:
            now = self.now()
            if not self.jsapi_ticket or self.jsapi_ticket_expires_at <= now:
                self.jsapi_ticket = secrets.token_urlsafe(64)
                self.jsapi_ticket_expires_at = now + self.config.token_ttl_seconds
            self.jsapi_tickets_issued += 1
            return self.jsapi_ticket, int(self.jsapi_ticket_expires_at - now)

    # -- followers and the customer-service window -------------------------
    def follower(self, openid: str) -> Follower:
        with self.lock:
            return self.followers.setdefault(openid, Follower(openid))

    def consume_cs_quota(self, openid: str) -> int:
        with self.lock:
            c = self.config
            return consume_cs_quota(self.followers.get(openid), self.now(), c.cs_quota_per_48h,
                                    c.cs_event_quota_per_minute)

    def record(self, openid: str, entry: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            self._seq += 1
            stored = {"id": self._seq, **entry, "at": self.now()}
            self.outbox.setdefault(openid, []).append(stored)
            return stored

    def messages_for(self, openid: str, after: int = 0) -> list[dict[str, Any]]:
        with self.lock:
            return [dict(m) for m in self.outbox.get(openid, []) if m["id"] > after]

    # -- media ----------------------------------------------------------------
    def store_media(self, kind: str, filename: str, content_type: str, data: bytes) -> Media:
        media = Media(secrets.token_urlsafe(32), kind, filename, content_type, self.now())
        directory = self.config.media_dir
        if directory is not None:
            directory.mkdir(parents=True, exist_ok=True)
            (directory / media.media_id).write_bytes(data)
        else:
            media.data = data
        with self.lock:
            self.media[media.media_id] = media
        return media

    def live_media(self, media_id: str) -> Media | None:
        media = self.media.get(media_id)
        if media is None or self.now() - media.created_at > MEDIA_TTL_SECONDS:
            return None
        return media

    def media_bytes(self, media: Media) -> bytes:
        directory = self.config.media_dir
        return (directory / media.media_id).read_bytes() if directory is not None else media.data

    # -- QR codes -------------------------------------------------------------
    def issue_qrcode(self, action: str, scene: str, expire_seconds: int | None) -> QrCode:
        expires = self.now() + expire_seconds if expire_seconds else None
        qr = QrCode(secrets.token_urlsafe(36), secrets.token_urlsafe(16), action, scene, expires)
        with self.lock:
            self.qrcodes[qr.ticket] = qr
        return qr

    def live_qrcode(self, *, ticket: str = "", url: str = "") -> QrCode | None:
        with self.lock:
            if ticket:
                qr = self.qrcodes.get(ticket)
            else:
                qr = next((q for q in self.qrcodes.values() if q.url == url.strip()), None)
        if qr is None or (qr.expires_at is not None and qr.expires_at <= self.now()):
            return None
        return qr

    def recent_qrcodes(self, limit: int = 10) -> list[QrCode]:
        with self.lock:
            live = [q for q in self.qrcodes.values() if q.expires_at is None or q.expires_at > self.now()]
        return live[-limit:][::-1]
