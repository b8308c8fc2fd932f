"""`GET /p/{product_id}`: the simple mobile product page that product news cards link to."""

from __future__ import annotations

from html import escape
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from bot import texts
from bot.web.media import media_url
from bot.web.referral_link import LinkOAuth, link_visit, remember
from commerce.catalog import services as catalog
from commerce.catalog.views import ProductView
from commerce.db import Database
from commerce.errors import CommerceError

STYLE = (
    "body{margin:0;font:16px/1.5 -apple-system,'PingFang SC','Noto Sans CJK SC',sans-serif;color:#222;background:#f6f6f6}"
    "img{width:100%;display:block;background:#eee}main{padding:12px 16px;background:#fff}"
    "h1{font-size:20px;margin:4px 0}.sub{color:#888}.price{color:#e4393c;font-size:24px;font-weight:600}"
    ".member{color:#b8860b}.del{color:#aaa;text-decoration:line-through;margin-left:8px;font-size:14px}"
    "table{width:100%;border-collapse:collapse;margin:8px 0}td{border-top:1px solid #eee;padding:6px 0}"
    "li{margin:2px 0}.hint{padding:12px 16px;color:#07c160}.desc{white-space:pre-wrap}"
)


def _spec_rows(product: ProductView) -> str:
    rows = []
    for sku in product.skus:
        stock = str(sku.stock) if sku.stock > 0 else texts.PAGE_SOLD_OUT
        rows.append(f"<tr><td>{escape(sku.spec_text or product.name)}</td><td>{texts.yuan(sku.price_fen)}</td>"
                    f"<td>{texts.PAGE_STOCK} {escape(stock)}</td></tr>")
    return "".join(rows)


def render_page(product: ProductView, *, shop_name: str, image_url: str) -> str:
    member = ""
    if product.member_min_price_fen is not None and product.member_min_price_fen < product.min_price_fen:
        member = f'<div class="member">{texts.PAGE_MEMBER_PRICE} {texts.yuan(product.member_min_price_fen)}</div>'
    original = next((s.original_price_fen for s in product.skus if s.original_price_fen), None)
    del_price = f'<span class="del">{texts.PAGE_ORIGINAL}{texts.yuan(original)}</span>' if original else ""
    points = "".join(f"<li>{escape(p)}</li>" for p in product.selling_points)
    image = f'<img src="{escape(image_url)}" alt="{escape(product.name)}">' if image_url else ""
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(product.name)} - {escape(shop_name)}</title><style>{STYLE}</style></head><body>"
        f"{image}<main><h1>{escape(product.name)}</h1><div class=\"sub\">{escape(product.subtitle)}</div>"
        f'<div class="price">{texts.yuan(product.min_price_fen)}{del_price}</div>{member}'
        f"<table><tr><td>{texts.PAGE_SPECS}</td><td></td><td></td></tr>{_spec_rows(product)}</table>"
        f"<ul>{points}</ul><div class=\"desc\">{escape(product.description)}</div></main>"
        f'<div class="hint">{texts.PAGE_BACK_HINT}</div></body></html>'
    )


def product_routes(db: Database, *, shop_name: str, public_base_url: str,
                   link_oauth: LinkOAuth | None = None) -> list[BaseRoute]:
    """`link_oauth`: bind viewers of distributors' `?ref=` links (see `bot.web.referral_link`)."""

    def load(product_id: int) -> ProductView | None:
        with db.uow() as uow:
            try:
                return catalog.product_detail(uow, product_id)
            except CommerceError:
                return None

    async def page(request: Request) -> Response:
        product: Any = await run_in_threadpool(load, request.path_params["product_id"])
        if product is None:
            return HTMLResponse(f"<!doctype html><meta charset=utf-8><p>{texts.PAGE_NOT_FOUND}</p>", status_code=404)
        visit = await link_visit(link_oauth, request, product.id) if link_oauth is not None else None
        if visit is not None and visit.redirect is not None:
            return visit.redirect
        image = media_url(public_base_url, product.images[0]) if product.images else ""
        response = HTMLResponse(render_page(product, shop_name=shop_name, image_url=image))
        if visit is not None and visit.learnt_openid and link_oauth is not None:
            remember(response, link_oauth, visit.learnt_openid)
        return response

    return [Route("/p/{product_id:int}", page, methods=["GET"])]
