"""A small shop written through the real write path (upsert_product), for search and service tests."""

from __future__ import annotations

from commerce.catalog.drafts import ProductDraft, SkuDraft
from commerce.catalog.writes import set_shelf, upsert_product
from commerce.db import Database


def sku(code: str, price_fen: int, spec: dict[str, str] | None = None, **kw: object) -> SkuDraft:
    return SkuDraft(code=code, price_fen=price_fen, spec=spec or {}, **kw)  # type: ignore[arg-type]


def hoodie_skus() -> tuple[SkuDraft, ...]:
    return tuple(
        sku(f"HOODIE-{color}-{size}", 12900, {"颜色": color, "尺码": size}, stock=20)
        for color in ("红", "蓝") for size in ("S", "M", "L", "XL")
    )


SAMPLE = [
    ProductDraft("ORANGE", "赣南脐橙 5斤装",
                 (sku("ORANGE-5", 3990, {"规格": "5斤"}, stock=50, member_price_fen=3590),
                  sku("ORANGE-10", 6990, {"规格": "10斤"}, stock=2)),
                 category_path="食品/水果", sales_count=100, description="江西赣州原产地直发"),
    ProductDraft("BLOOD", "血橙", (sku("BLOOD-1", 2990, stock=30),),
                 category_path="食品/水果", sales_count=300),
    ProductDraft("JUICE", "鲜榨果汁", (sku("JUICE-1", 1590, stock=30),), category_path="食品/饮料",
                 description="每天现榨的橙汁和苹果汁", sales_count=1000),
    ProductDraft("APPLE", "烟台红富士苹果", (sku("APPLE-1", 4590, stock=30),), category_path="食品/水果",
                 sales_count=50, sort_weight=1),
    ProductDraft("PEAR", "砀山酥梨", (sku("PEAR-1", 4590, stock=30),), category_path="食品/水果",
                 sales_count=50, sort_weight=9),
    ProductDraft("HOODIE", "纯棉连帽卫衣", hoodie_skus(), category_path="服装/上衣", sales_count=80,
                 tags=("卫衣", "秋冬")),
    ProductDraft("ICE", "冰糖橙", (sku("ICE-1", 2590, stock=30),), category_path="食品/水果", sales_count=5000),
]


def seed_sample(db: Database) -> None:
    with db.uow() as uow:
        for draft in SAMPLE:
            upsert_product(uow, draft, actor="test")
        set_shelf(uow, "ICE", False, actor="test", reason="sold out for the season")
        uow.commit()
