"""Builders for poster tests: photos, data, and an independent QR decoder."""

from __future__ import annotations

import io
from datetime import date

import pytest
import zxingcpp
from PIL import Image

from posters import EventPosterData, ProductPosterData, ProductTile, ShopPosterData

QR_URL = "http://weixin.qq.com/q/02aBcDeFgHiJk10000w03c"


def photo(size: tuple[int, int] = (800, 800), color: str = "#3C8D40", fmt: str = "JPEG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    return buffer.getvalue()


def decode_qr(jpeg: bytes) -> list[str]:
    image = Image.open(io.BytesIO(jpeg))
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def product_data(**overrides: object) -> ProductPosterData:
    fields: dict[str, object] = {
        "name": "云南高原红心猕猴桃 12枚装", "price_fen": 3990, "qr_content": QR_URL, "distributor_name": "小雨",
        "shop_name": "思语优选", "selling_points": ["酸甜多汁", "坏果包赔"], "image": photo(),
    }
    fields.update(overrides)
    return ProductPosterData(**fields)  # type: ignore[arg-type]


def tiles(n: int = 4) -> list[ProductTile]:
    return [ProductTile(f"商品{i} 赣南脐橙 5斤装", 990 + i * 1000, photo(color="#F39C12")) for i in range(n)]


def shop_data(**overrides: object) -> ShopPosterData:
    fields: dict[str, object] = {"shop_name": "思语优选", "slogan": "好物直达，分享有礼", "qr_content": QR_URL,
                                 "products": tiles()}
    fields.update(overrides)
    return ShopPosterData(**fields)  # type: ignore[arg-type]


def event_data(**overrides: object) -> EventPosterData:
    fields: dict[str, object] = {"title": "618 年中大促", "subtitle": "爆款水果限时特价", "coupon_text": "满199减30",
                                 "starts_on": date(2025, 6, 1), "ends_on": date(2025, 6, 18), "qr_content": QR_URL,
                                 "shop_name": "思语优选", "products": tiles(3)}
    fields.update(overrides)
    return EventPosterData(**fields)  # type: ignore[arg-type]


@pytest.fixture
def jpeg_photo() -> bytes:
    return photo()
