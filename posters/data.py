"""What a poster shows: plain frozen dataclasses, filled by the caller.

Money arrives as int fen and is formatted for display here in `posters`
(`display.py`).  Images arrive as encoded bytes (JPEG/PNG/WebP) or None; a
missing, corrupt or oversized image becomes a drawn placeholder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class ProductPosterData:
    name: str
    price_fen: int
    qr_content: str
    distributor_name: str = ""
    shop_name: str = ""
    selling_points: tuple[str, ...] | list[str] = ()
    # Struck through only when given: pass it only when it is a real previous price.
    original_price_fen: int | None = None
    member_price_fen: int | None = None
    image: bytes | None = field(default=None, repr=False)
    avatar: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class ProductTile:
    name: str
    price_fen: int
    image: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class ShopPosterData:
    shop_name: str
    qr_content: str
    slogan: str = ""
    logo: bytes | None = field(default=None, repr=False)
    products: tuple[ProductTile, ...] | list[ProductTile] = ()


@dataclass(frozen=True)
class EventPosterData:
    title: str
    starts_on: date
    ends_on: date
    qr_content: str
    subtitle: str = ""
    coupon_text: str = ""
    shop_name: str = ""
    products: tuple[ProductTile, ...] | list[ProductTile] = ()


PosterData = ProductPosterData | ShopPosterData | EventPosterData

DATA_KINDS: dict[str, type[ProductPosterData] | type[ShopPosterData] | type[EventPosterData]] = {
    "product": ProductPosterData,
    "shop": ShopPosterData,
    "event": EventPosterData,
}
