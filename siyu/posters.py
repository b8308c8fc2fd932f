"""`PosterService`: share material for one user — posters, promo copy and the promo video.

`render_for(openid, kind, ref_id) -> RenderedPoster` is what `worker.deliver_poster`
calls (kind: product | shop | event).  It loads the product/shop data through the
catalog services, the sharer's referral code through the distribution services,
gets the parametric QR for the referral scene (`d_<code>` / `d_<code>_p<id>`,
cached per scene until shortly before it expires), and renders with
`posters.render_cached` into the local store (a repeat request is a file read).

Who gets referral material: active distributors.  A customer who is not one is
asked (in chat, by `siyu.share_desk`) to join first — joining is free — because a
merchant expects every shared poster to carry a code that earns its sharer
commission.  Only when distribution is switched off do posters carry a plain
shop QR (scene `s_shop` / `s_p<id>`) for everyone.  A distributor suspended
between the request and the render gets the plain QR too.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot import texts
from commerce.catalog import services as catalog
from commerce.clock import now
from commerce.customers.services import get_or_create
from commerce.db import Database, UnitOfWork
from commerce.distribution.recruitment import find_by_openid
from posters import (
    EventPosterData,
    FontSet,
    ForbiddenCopy,
    PosterStore,
    ShopPosterData,
    promo_copy,
    render_cached,
)
from posters.copy import Tone
from posters.video import render_video
from siyu.poster_sources import PhotoSource, Sharer, copy_facts, product_poster, tile, video_data
from siyu.referral_qr import ReferralQrCodes, share_scene
from worker.ports import RenderedPoster

log = logging.getLogger("siyu.posters")

KINDS = ("product", "shop", "event")
SHOP_TILES = 4
VIDEO_VERSION = 1  # bump when the video design changes


class UnknownPosterKind(ValueError):
    pass


@dataclass(frozen=True)
class PosterConfig:
    public_base_url: str
    shop_name: str
    slogan: str = ""
    distribution_enabled: bool = True
    size: tuple[int, int] | None = None
    quality: int = 85
    fonts: FontSet | None = None


@dataclass(frozen=True)
class RenderedVideo:
    data: bytes
    cache_key: str
    title: str
    description: str


class PosterService:
    def __init__(self, db: Database, qr_codes: ReferralQrCodes, store: PosterStore, photos: PhotoSource,
                 config: PosterConfig, video_dir: Path) -> None:
        self._db, self._qr, self._store, self._photos = db, qr_codes, store, photos
        self.config = config
        self._video_dir = video_dir

    # -- who shares --------------------------------------------------------------
    def sharer(self, uow: UnitOfWork, openid: str) -> Sharer:
        customer = get_or_create(uow, openid)
        if not self.config.distribution_enabled:
            return Sharer(None, customer.nickname)
        d = find_by_openid(uow, openid)
        return Sharer(d.code if d is not None and d.is_active else None, customer.nickname)

    def may_share(self, openid: str) -> bool:
        """Distributors may (their material carries their code); everyone may when distribution is off."""
        if not self.config.distribution_enabled:
            return True
        with self._db.uow() as uow:
            return self.sharer(uow, openid).code is not None

    def short_link(self, product_id: int, code: str | None) -> str:
        link = f"{self.config.public_base_url.rstrip('/')}/p/{product_id}"
        return f"{link}?ref={code}" if code else link

    # -- posters -----------------------------------------------------------------
    def render_for(self, openid: str, kind: str, ref_id: str) -> RenderedPoster:
        if kind not in KINDS:
            raise UnknownPosterKind(kind)
        with self._db.uow() as uow:
            sharer = self.sharer(uow, openid)
            if kind == "product":
                view = catalog.product_detail(uow, int(ref_id))
                picks = [view]
            else:
                picks = catalog.best_sellers(uow, limit=SHOP_TILES * 3)
            uow.commit()  # the customer row, if this was their first contact
        product_id = picks[0].id if kind == "product" else None
        qr = self._qr.for_scene(share_scene(sharer.code, product_id))
        if kind == "product":
            data = product_poster(picks[0], sharer, qr.url, self.config.shop_name, self._photos.first(picks[0]))
            copy = self._poster_copy(picks[0], sharer.code)
        elif kind == "shop":
            data, copy = self._shop(picks, qr.url), self._shop_copy()
        else:
            data, copy = self._event(picks, qr.url), self._shop_copy()
        image, key, hit = render_cached(self._store, kind, data, qr.ticket, fonts=self.config.fonts,
                                        size=self.config.size, quality=self.config.quality)
        log.info("poster %s for %s/%s: %s", key, kind, ref_id or "-", "cached" if hit else "rendered")
        return RenderedPoster(data=image, cache_key=key, copy=copy)

    def _shop(self, picks: list[catalog.ProductView], qr_url: str) -> ShopPosterData:
        tiles = tuple(tile(v, self._photos) for v in picks[:SHOP_TILES])
        return ShopPosterData(self.config.shop_name, qr_url, slogan=self.config.slogan, products=tiles)

    def _event(self, picks: list[catalog.ProductView], qr_url: str) -> EventPosterData:
        """Until marketing events exist: this week's real discounts (else best sellers), Monday to Sunday."""
        discounted = [v for v in picks if any(s.original_price_fen and s.original_price_fen > s.price_fen
                                              for s in v.skus)]
        today = now().date()
        monday = today - timedelta(days=today.weekday())
        return EventPosterData(
            title=texts.SHARE_EVENT_TITLE, starts_on=monday, ends_on=monday + timedelta(days=6), qr_content=qr_url,
            subtitle=texts.SHARE_EVENT_SUBTITLE.format(shop=self.config.shop_name), shop_name=self.config.shop_name,
            products=tuple(tile(v, self._photos) for v in (discounted or picks)[:SHOP_TILES]),
        )

    def _shop_copy(self) -> str:
        return texts.SHARE_SHOP_COPY.format(shop=self.config.shop_name, slogan=self.config.slogan)

    # -- promo copy ----------------------------------------------------------------
    def copy_text(self, view: catalog.ProductView, code: str | None, tone: Tone, variant: int) -> str:
        """One filled template ending with the short link; raises posters.ForbiddenCopy on banned words."""
        facts = copy_facts(view, self.short_link(view.id, code), self.config.shop_name)
        return promo_copy(facts, tone, variant)

    def _poster_copy(self, view: catalog.ProductView, code: str | None) -> str | None:
        try:
            return self.copy_text(view, code, Tone.MOMENTS, 0)
        except ForbiddenCopy as exc:  # the poster still goes out; the merchant must reword the facts
            log.warning("product %s: no copy with its poster, banned words %s", view.id, exc.words)
            return None

    def copy_for(self, openid: str, product_id: int, tone: Tone, variant: int) -> str:
        with self._db.uow() as uow:
            sharer = self.sharer(uow, openid)
            view = catalog.product_detail(uow, product_id)
            uow.commit()
        return self.copy_text(view, sharer.code, tone, variant)

    # -- promo video -----------------------------------------------------------------
    def video_for(self, openid: str, ref_id: str) -> RenderedVideo:
        """The product's promo video with the sharer's QR on the end card; cached on disk by content."""
        with self._db.uow() as uow:
            sharer = self.sharer(uow, openid)
            view = catalog.product_detail(uow, int(ref_id))
            uow.commit()
        qr = self._qr.for_scene(share_scene(sharer.code, view.id))
        data = video_data(view, qr.url, self.config.shop_name, self._photos, texts.SHARE_VIDEO_END_CAPTION)
        key = "video-" + _digest(VIDEO_VERSION, data.name, data.price_fen, data.original_price_fen, qr.ticket,
                                 data.captions, data.shop_name, *data.photos)
        path = self._video_dir / f"{key}.mp4"
        video = path.read_bytes() if path.exists() else None
        if video is None:
            video = render_video(data, fonts=self.config.fonts)
            _write_atomically(path, video)
        title = texts.SHARE_VIDEO_TITLE.format(name=view.name)
        description = texts.SHARE_VIDEO_DESCRIPTION.format(price=texts.yuan(data.price_fen))
        return RenderedVideo(video, key, title, description)


def _digest(*parts: object) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else repr(part).encode())
        h.update(b"\x00")
    return h.hexdigest()[:32]


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def build_poster_service(c: Any) -> PosterService:
    """For `Container.poster_service`: settings → fonts, size, store under data_dir, the QR cache."""
    from posters import LocalPosterStore, load_fontset

    s = c.settings
    p = s.posters
    fonts = load_fontset(p.font_file, p.fallback_font_file) if p.font_file or p.fallback_font_file else None
    config = PosterConfig(public_base_url=s.public_base_url, shop_name=s.shop.name, slogan=s.shop.slogan,
                          distribution_enabled=s.distribution.enabled, size=(p.width, p.height),
                          quality=p.jpeg_quality, fonts=fonts)
    return PosterService(c.db, ReferralQrCodes(c.wechat_api, c.kv), LocalPosterStore(c.data_dir),
                         PhotoSource(c.data_dir / "media"), config, c.data_dir / "videos")
