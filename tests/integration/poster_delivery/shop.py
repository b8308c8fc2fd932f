"""A seeded shop with a distributor, and the poster service over a fake QR API (counts calls)."""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from bot.kv import MemoryKV
from bot.wechat_api import QrTicket
from commerce.catalog import services as catalog
from commerce.catalog.drafts import ProductDraft, SkuDraft
from commerce.db import Database
from commerce.distribution import recruitment
from commerce.distribution.policy import DistributionPolicy
from posters import LocalPosterStore
from siyu.poster_sources import PhotoSource
from siyu.posters import PosterConfig, PosterService
from siyu.referral_qr import ReferralQrCodes

BASE_URL = "https://shop.example.com"
POLICY = DistributionPolicy(levels_bp=(1000, 500))


@dataclass
class FakeQrApi:
    """Stands in for `WeChatAPI.create_qrcode`: a fresh ticket and URL per call."""

    created: list[tuple[str, int]] = field(default_factory=list)
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    def create_qrcode(self, scene_str: str, expire_seconds: int = 2_592_000) -> QrTicket:
        self.created.append((scene_str, expire_seconds))
        n = next(self._ids)
        return QrTicket(f"ticket-{n}", f"http://weixin.qq.com/q/02fake{n:04d}", expire_seconds)


def jpeg(size: tuple[int, int] = (800, 800), color: str = "#e80") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG")
    return buf.getvalue()


def seed(db: Database, media_root: Path) -> dict[str, int]:
    """Products by code → id; the orange has a photo and a real original price."""
    (media_root / "products").mkdir(parents=True, exist_ok=True)
    (media_root / "products" / "orange.jpg").write_bytes(jpeg())
    (media_root / "products" / "broken.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    drafts = [
        ProductDraft("P-ORANGE", "赣南脐橙", category_path="食品/水果", subtitle="现摘现发",
                     images=("products/orange.jpg",), selling_points=("果园直发", "坏果包赔"), sales_count=500,
                     skus=(SkuDraft("ORANGE-5", 3990, {"规格": "5斤装"}, member_price_fen=3590, stock=100,
                                    original_price_fen=4990),)),
        ProductDraft("P-TEA", ("西湖龙井🍵𠀾" + "特级明前" * 50)[:200], category_path="食品/茶叶", sales_count=100,
                     images=("products/broken.jpg",), skus=(SkuDraft("TEA-1", 16800, {"规格": "250克"}, stock=20),)),
        ProductDraft("P-CREAM", "保湿面霜", category_path="美妆护肤", selling_points=("全网最低价",), sales_count=50,
                     skus=(SkuDraft("CREAM-1", 19900, {"规格": "50ml"}, stock=5),)),
    ]
    with db.uow() as uow:
        for draft in drafts:
            catalog.upsert_product(uow, draft, actor="test")
        uow.commit()
        return {d.code: catalog.product_by_code(uow, d.code).id for d in drafts}


def make_distributor(db: Database, openid: str) -> str:
    with db.uow() as uow:
        code = recruitment.apply(uow, openid, POLICY).code
        uow.commit()
    return code


def poster_service(db: Database, data_dir: Path, qr_api: FakeQrApi, *, distribution: bool = True) -> PosterService:
    config = PosterConfig(public_base_url=BASE_URL, shop_name="测试小店", slogan="好物直达",
                          distribution_enabled=distribution)
    return PosterService(db, ReferralQrCodes(qr_api, MemoryKV()), LocalPosterStore(data_dir),
                         PhotoSource(data_dir / "media"), config, data_dir / "videos")
