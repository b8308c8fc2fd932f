"""The demo shop (思语优选): ~30 products over 6 categories, seeded once on first `siyu demo`.

The products live in `seed_data/demo_catalog.yml` and are written through the catalog's
`upsert_product` — the same path as `siyu catalog import` — with placeholder photos drawn
by `seed_images`.  Shipping needs no seed: the orders module uses
`commerce.shipping.templates.DEFAULT_TEMPLATE` (a code-level default, not a table).
"""

from __future__ import annotations

import itertools
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from commerce.catalog.drafts import ProductDraft, SkuDraft
from commerce.catalog.media import save_media
from commerce.catalog.model import Product, spec_from_text
from commerce.catalog.writes import set_category_weight, upsert_product
from siyu.container import Container
from siyu.seed_images import placeholder_jpeg

log = logging.getLogger("siyu.seed")

DEMO_CATALOG = Path(__file__).resolve().parent / "seed_data" / "demo_catalog.yml"
ACTOR = "seed"


def seed_demo_shop(container: Container) -> int:
    """Write the demo catalog unless the shop already has products; returns products written."""
    db = container.db
    with db.uow() as uow:
        if uow.session.scalar(select(Product.id).limit(1)) is not None:
            log.info("demo shop already has products: seed skipped")
            return 0
    data = demo_catalog()
    drafts = [demo_draft(entry, container.data_dir) for entry in data["products"]]
    with db.uow() as uow:
        for draft in drafts:
            upsert_product(uow, draft, actor=ACTOR)
        for path, weight in (data.get("categories") or {}).items():
            set_category_weight(uow, path, int(weight))
        uow.commit()
    log.info("demo shop seeded: %d products / 已生成演示商品 %d 个", len(drafts), len(drafts))
    return len(drafts)


@lru_cache(maxsize=1)
def demo_catalog() -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return dict(yaml.load(DEMO_CATALOG.read_text(encoding="utf-8"), Loader=loader))  # noqa: S506


def demo_draft(entry: dict[str, Any], data_dir: Path) -> ProductDraft:
    kind = entry.get("kind", "normal")
    image = save_media(data_dir, f"{entry['code']}.jpg",
                       placeholder_jpeg(entry["code"], entry["name"], entry.get("color", "#cccccc"),
                                        entry.get("subtitle", "")))
    return ProductDraft(
        code=entry["code"], name=entry["name"], skus=tuple(demo_skus(entry)),
        category_path=entry["category"], subtitle=entry.get("subtitle", ""),
        description=entry.get("description", ""), images=(image,),
        selling_points=tuple(entry.get("selling_points", ())), tags=tuple(entry.get("tags", ())),
        kind=kind, sort_weight=int(entry.get("sort_weight", 0)), sales_count=int(entry.get("sales", 0)),
        no_reason_return=bool(entry.get("no_reason_return", kind != "service")),
    )


def demo_skus(entry: dict[str, Any]) -> list[SkuDraft]:
    if "matrix" not in entry:
        return [_sku(s["code"], spec_from_text(s["spec"]), s) for s in entry["skus"]]
    axes: dict[str, list[str]] = entry["matrix"]
    overrides: dict[str, int] = entry.get("stock_overrides", {})
    skus = []
    for values in itertools.product(*axes.values()):
        spec = dict(zip(axes, (str(v) for v in values), strict=True))
        joined = "/".join(spec.values())
        stock = overrides.get(joined, entry["stock"])
        skus.append(_sku(f"{entry['code']}-{'-'.join(spec.values())}", spec, {**entry, "stock": stock}))
    return skus


def _sku(code: str, spec: dict[str, Any], values: dict[str, Any]) -> SkuDraft:
    return SkuDraft(
        code=code, spec={str(k): str(v) for k, v in spec.items()}, price_fen=int(values["price_fen"]),
        member_price_fen=values.get("member_fen"), original_price_fen=values.get("original_fen"),
        stock=int(values["stock"]), weight_g=int(values.get("weight_g", 0)),
        purchase_limit=values.get("purchase_limit"),
    )
