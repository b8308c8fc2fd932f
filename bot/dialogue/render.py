"""Turning commerce views into reply text: numbered lists, the product card, cart and price lines."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from bot import texts
from bot.dialogue.context import Ctx
from bot.dialogue.refs import bare_ordinal, pick
from bot.messages import NewsReply
from commerce.catalog.services import match_sku
from commerce.catalog.views import ProductView, SkuView
from nlu.types import Entity

MAX_SELLING_POINTS = 3
_FILLER = re.compile(
    r"(我想|我要|想要|想买|我想买|帮我|给我|请|搜一下|搜索|搜|找一下|找找|找|查一下|看看|有没有|有吗|有么|有什么|"
    r"卖不卖|买|一下|的吗|吗|呢|吧|啊|呀|商品|东西|能用什么|可以用什么|用什么|适合|什么样的|什么|哪些|哪款|哪种)"
)


_PRICE_WORDS = re.compile(r"块钱|块|元|以内|以下|以上|之内|之间|左右|不超过|不到|低于|高于|价格|价位|预算|到|至|-|~|～")
_FILTER_ENTITIES = frozenset({"price_min", "price_max", "quantity", "index"})


def search_terms(text: str, entities: Sequence[Entity] = ()) -> str:
    """The product words of a search sentence: 「帮我找一下脐橙」 → 「脐橙」; price phrases
    (「200块以内的」) are filters, not words to search for."""
    spans = sorted((e.start, e.end) for e in entities if e.entity in _FILTER_ENTITIES)
    if spans:
        kept, at = [], 0
        for start, end in spans:
            kept.append(text[at:start])
            at = max(at, end)
        kept.append(text[at:])
        text = _PRICE_WORDS.sub("", "".join(kept))
    return _FILLER.sub("", text).strip(" ，,。.?？!！~的")


def what(query: str, category: str | None) -> str:
    """The list head's 「…」: the searched words without the sentence around them (「有没有宝宝用的东西」 → 「宝宝用」)."""
    label = (search_terms(query) or query) if query else (category or "")
    return f"「{label}」" if label else "商品"


def price_from(product: ProductView) -> str:
    prices = {s.price_fen for s in product.skus}
    base = texts.yuan(product.min_price_fen)
    return base + "起" if len(prices) > 1 else base


def product_list(head: str, products: Sequence[ProductView]) -> str:
    lines = [head]
    for n, p in enumerate(products, 1):
        badge = texts.SOLD_OUT_BADGE if p.total_stock <= 0 else ""
        lines.append(texts.PRODUCT_LINE.format(n=n, name=p.name, price=price_from(p), badge=badge)
                     .replace("起起", "起"))
    lines.append(texts.PRODUCT_LIST_TAIL)
    return "\n".join(lines)


def category_list(names: Sequence[str]) -> str:
    lines = [texts.CATEGORIES_HEAD]
    lines += [texts.CATEGORY_LINE.format(n=n, name=name) for n, name in enumerate(names, 1)]
    return "\n".join(lines)


def no_index(n: int, total: int) -> str:
    if not total:
        return texts.NO_LIST
    return texts.NO_INDEX.format(n=n, total=total) if n > 0 else texts.NO_INDEX_FROM_END.format(n=-n, total=total)


def index_entity(text: str, index: int) -> Entity:
    return Entity("index", text, 0, len(text), index)


def product_card(ctx: Ctx, product: ProductView, return_days: int = 7) -> NewsReply:
    """The one-article news card: facts in the description, image, link to the mobile product page."""
    lines = [product.subtitle] if product.subtitle else []
    cheapest = min(product.skus, key=lambda s: s.price_fen) if product.skus else None
    original = cheapest.original_price_fen if cheapest and (cheapest.original_price_fen or 0) > cheapest.price_fen \
        else None  # 「¥99起（原价¥990）」 would compare two different SKUs
    lines.append(texts.DETAIL_PRICE.format(
        price=price_from(product), original=f"（原价{texts.yuan(original)}）" if original else ""))
    if product.member_min_price_fen is not None and product.member_min_price_fen < product.min_price_fen:
        lines.append(texts.DETAIL_MEMBER.format(price=texts.yuan(product.member_min_price_fen)))
    lines.append(texts.DETAIL_STOCK.format(stock=product.total_stock if product.total_stock > 0 else "已售罄"))
    specs = spec_prices(product)
    if specs:
        lines.append(texts.DETAIL_SPECS.format(specs=" / ".join(specs)))
    lines.append(texts.DETAIL_RETURNABLE.format(days=return_days) if product.no_reason_return
                 else texts.DETAIL_NOT_RETURNABLE)
    lines += ["· " + point for point in product.selling_points[:MAX_SELLING_POINTS]]
    lines.append(texts.DETAIL_TAIL)
    return NewsReply(
        title=texts.DETAIL_TITLE.format(name=product.name, price=price_from(product)),
        description="\n".join(lines),
        url=ctx.url(f"p/{product.id}"),
        picurl=ctx.media_url(product.images[0]) if product.images else "",
    )


def spec_prices(product: ProductView) -> list[str]:
    """「5斤 / 10斤」, or with each spec's price when the specs differ in price (「1节 ¥99.00 / 10节 ¥880.00（会员¥800.00）」)."""
    skus = [s for s in product.skus if s.spec_text]
    if len({(s.price_fen, s.member_price_fen) for s in skus}) <= 1:
        return [s.spec_text for s in skus]
    return [texts.DETAIL_SPEC_PRICE.format(spec=s.spec_text, price=texts.yuan(s.price_fen)) + (
        f"（{texts.PAGE_MEMBER_PRICE}{texts.yuan(s.member_price_fen)}）"
        if s.member_price_fen is not None and s.member_price_fen < s.price_fen else "") for s in skus]


def spec_question(product: ProductView, options: Sequence[SkuView] = ()) -> str:
    """「有这些规格，要哪个？」 numbered over `options` (default: every SKU)."""
    options = options or product.skus
    lines = [texts.ASK_SPEC.format(name=product.name)]
    for n, sku in enumerate(options, 1):
        stock = texts.SPEC_OUT if sku.stock <= 0 else ""
        lines.append(texts.SPEC_LINE.format(n=n, spec=sku.spec_text, price=texts.yuan(sku.price_fen), stock=stock))
    example = options[0].spec_text if options else "1"
    lines.append(texts.ASK_SPEC_TAIL.format(example=example))
    return "\n".join(lines)


def spec_options(product: ProductView, hint: str) -> list[SkuView]:
    """The SKUs having a spec value the hint names (「XL」 → 黑 XL, 灰 XL, 红 XL); ASCII not glued."""
    folded = hint.lower()
    return [sku for sku in product.skus
            if any(v and re.search(rf"(?<![a-z0-9]){re.escape(v.lower())}(?![a-z0-9])", folded)
                   for v in sku.spec.values())]


def item_label(name: str, spec_text: str) -> str:
    """「纯棉T恤 黑 XL」; the spec is left out when the name already says it (「五常大米 5kg」, not 「… 5kg 5kg」)."""
    folded = name.lower()
    if not spec_text or all(len(part) > 1 and part.lower() in folded for part in spec_text.split()):
        return name
    return f"{name} {spec_text}"


def cart_text(cart: Any) -> str:
    if not cart.lines:
        return texts.CART_EMPTY
    lines = [texts.CART_HEAD]
    for n, line in enumerate(cart.lines, 1):
        lines.append(texts.CART_LINE.format(n=n, item=item_label(line.name, line.spec_text),
                                            price=texts.yuan(line.unit_price_fen), qty=line.quantity))
    lines.append(texts.CART_TOTAL.format(total=texts.yuan(cart.goods_fen), count=cart.count))
    lines.append(texts.CART_TAIL)
    return "\n".join(lines)


def breakdown(preview: Any) -> str:
    """商品｜优惠｜积分｜运费, then 应付 — zero discounts are left out, free shipping says so."""
    parts = [texts.BREAKDOWN_GOODS.format(amount=texts.yuan(preview.goods_fen))]
    if preview.discount_fen:
        parts.append(texts.BREAKDOWN_DISCOUNT.format(amount=texts.yuan(preview.discount_fen)))
    if getattr(preview, "points_fen", 0):
        parts.append(texts.BREAKDOWN_POINTS.format(amount=texts.yuan(preview.points_fen)))
    shipping = texts.yuan(preview.shipping_fen)
    parts.append(texts.BREAKDOWN_SHIPPING.format(amount=shipping) if preview.shipping_fen
                 else texts.BREAKDOWN_FREE_SHIPPING)
    return "｜".join(parts) + "\n" + texts.BREAKDOWN_PAYABLE.format(amount=texts.yuan(preview.payable_fen))


def line_name(line: Any) -> str:
    return str(getattr(line, "name", "") or getattr(line, "product_name", ""))


def order_lines(lines: Sequence[Any]) -> str:
    return "\n".join(
        texts.CHECKOUT_LINE.format(item=item_label(line_name(line), str(getattr(line, "spec_text", "") or "")),
                                   qty=line.quantity, amount=texts.yuan(_line_amount(line)))
        for line in lines
    )


def _line_amount(line: Any) -> int:
    for attr in ("subtotal_fen", "amount_fen", "goods_fen"):
        value = getattr(line, attr, None)
        if value is not None:
            return int(value)
    return int(line.unit_price_fen) * int(line.quantity)


def spec_of(product: ProductView, hint: str, options: Sequence[SkuView] = ()) -> SkuView | None:
    """A spec by its position among `options` (「2」「第二个」) or by name (「XL」「5斤」, via the catalog's
    matcher, restricted to `options` when given)."""
    options = options or product.skus
    index = bare_ordinal(hint)
    if index is not None:
        return pick(options, index)
    narrowed = replace(product, skus=tuple(options))
    return match_sku(narrowed, hint) if len(options) > 1 else (options[0] if spec_options(narrowed, hint) else None)
