"""From the shop's data to what a poster, a promo copy or a promo video shows.

Prices follow the catalog's cheapest on-shelf SKU; its original price is shown
(struck through) only when the merchant entered a real previous price above
today's (`Sku.original_price_fen`), never invented.  Photos are read from the
media directory (catalog paths) or fetched over HTTP with a size cap; anything
unreadable becomes `None` and `posters` draws a placeholder.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import httpx

from bot.web.media import safe_media_path
from commerce.catalog.views import ProductView, SkuView
from posters import CopyFacts, ProductPosterData, ProductTile
from posters.video import PromoVideoData

log = logging.getLogger("siyu.posters")

MAX_PHOTO_BYTES = 8 * 1024 * 1024
FETCH_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class Sharer:
    """Who shares: an active distributor's referral code (None: plain material) and display name."""

    code: str | None
    name: str = ""


@dataclass(frozen=True)
class Price:
    price_fen: int
    original_price_fen: int | None  # a real previous price above today's, else None
    member_price_fen: int | None


def headline_price(view: ProductView) -> Price:
    sku: SkuView = min(view.skus, key=lambda s: (s.price_fen, s.id))
    was = sku.original_price_fen if sku.original_price_fen and sku.original_price_fen > sku.price_fen else None
    member = sku.member_price_fen if sku.member_price_fen is not None and sku.member_price_fen < sku.price_fen \
        else None
    return Price(sku.price_fen, was, member)


def selling_points(view: ProductView) -> tuple[str, ...]:
    points = tuple(p for p in view.selling_points if p and p.strip())
    return points or ((view.subtitle,) if view.subtitle.strip() else ())


class PhotoSource:
    """Product photos as bytes: catalog paths under `media_root`, or http(s) URLs (capped)."""

    def __init__(self, media_root: Path, http: httpx.Client | None = None) -> None:
        self._root = media_root
        self._http = http

    def read(self, image: str) -> bytes | None:
        if not image:
            return None
        if image.startswith(("http://", "https://")):
            return self._fetch(image)
        path = safe_media_path(self._root, image.removeprefix("media/").lstrip("/"))
        if path is None:
            log.warning("product photo %r not found under %s; placeholder drawn", image, self._root)
            return None
        if path.stat().st_size > MAX_PHOTO_BYTES:
            log.warning("product photo %s is over %d bytes; placeholder drawn", path, MAX_PHOTO_BYTES)
            return None
        return path.read_bytes()

    def first(self, view: ProductView) -> bytes | None:
        return self.read(view.images[0]) if view.images else None

    def _fetch(self, url: str) -> bytes | None:
        client = self._http or httpx.Client(timeout=FETCH_TIMEOUT_SECONDS, follow_redirects=True)
        try:
            with client.stream("GET", url) as r:
                if r.status_code != 200:
                    log.warning("product photo %s: HTTP %s; placeholder drawn", url, r.status_code)
                    return None
                body = bytearray()
                for chunk in r.iter_bytes():
                    body += chunk
                    if len(body) > MAX_PHOTO_BYTES:
                        log.warning("product photo %s is over %d bytes; placeholder drawn", url, MAX_PHOTO_BYTES)
                        return None
                return bytes(body)
        except httpx.HTTPError as exc:
            log.warning("product photo %s could not be fetched (%s); placeholder drawn", url, exc)
            return None
        finally:
            if self._http is None:
                client.close()


def product_poster(view: ProductView, sharer: Sharer, qr_url: str, shop_name: str,
                   photo: bytes | None) -> ProductPosterData:
    price = headline_price(view)
    return ProductPosterData(
        name=view.name, price_fen=price.price_fen, qr_content=qr_url, distributor_name=sharer.name,
        shop_name=shop_name, selling_points=selling_points(view)[:3], original_price_fen=price.original_price_fen,
        member_price_fen=price.member_price_fen, image=photo,
    )


def tile(view: ProductView, photos: PhotoSource) -> ProductTile:
    return ProductTile(view.name, headline_price(view).price_fen, photos.first(view))


def copy_facts(view: ProductView, short_link: str, shop_name: str) -> CopyFacts:
    price = headline_price(view)
    return CopyFacts(name=view.name, price_fen=price.price_fen, short_link=short_link, category=view.category_path,
                     selling_points=selling_points(view), original_price_fen=price.original_price_fen,
                     shop_name=shop_name)


def video_data(view: ProductView, qr_url: str, shop_name: str, photos: PhotoSource,
               end_caption: str) -> PromoVideoData:
    price = headline_price(view)
    shots = tuple(p for p in (photos.read(i) for i in view.images[:4]) if p)
    return PromoVideoData(name=view.name, price_fen=price.price_fen, qr_content=qr_url, photos=shots,
                          captions=selling_points(view), shop_name=shop_name,
                          original_price_fen=price.original_price_fen, end_caption=end_caption)
