"""Browsing: categories, search with filters, recommendations (猜你喜欢), picking from a list."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from bot import texts
from bot.dialogue import render
from bot.dialogue.context import Msg, Turn
from bot.dialogue.refs import bare_ordinal, pick
from bot.dialogue.router import Route, router
from bot.dialogue.state import DialogState, Waiting
from bot.messages import TextReply
from commerce.catalog import services as catalog
from nlu.types import Parse

LIST_SIZE = 6
FOOD_CATEGORY = re.compile(r"食品|农产品|生鲜|水果|零食|特产|粮油|美食")
ASKS_FOR_FOOD = re.compile(r"吃的|好吃|吃点|零食|美食")


def listed(state: DialogState, products: Sequence[Any], head: str, *, query: str = "", category: str = "") -> Turn:
    """A numbered product list; remembers the ids so 「第二个」 and a bare 「2」 work next, and the
    search so that 「200块以内的」 or 「便宜点的」 refine it."""
    ids = tuple(int(p.id) for p in products)
    new = replace(state, products=ids, focus=ids[0] if len(ids) == 1 else state.focus, query=query,
                  category=category)
    return Turn(new.ask(Waiting.PICK, list="products"), TextReply(render.product_list(head, products)))


def product_list_turn(
    state: DialogState, msg: Msg, *, query: str = "", category: str | None = None,
    price_min_fen: int | None = None, price_max_fen: int | None = None, quiet: bool = False,
    cheapest_first: bool = False,
) -> Turn | None:
    """Search and list; with `quiet`, None instead of a 'nothing found' reply."""
    with msg.ctx.reads() as uow:
        found = catalog.search_products(uow, query, category=category, price_min_fen=price_min_fen,
                                        price_max_fen=price_max_fen, limit=LIST_SIZE, offset=0)
    what = query or category or ""
    if cheapest_first:
        found = sorted(found, key=lambda p: (p.min_price_fen, -p.sales_count))
    if found:
        head = texts.PRODUCT_LIST_HEAD.format(what=render.what(query, category))
        return listed(state, found, head, query=query, category=category or "")
    if quiet:
        return None
    filtered = price_min_fen is not None or price_max_fen is not None
    template = texts.NO_PRODUCTS_FILTERED if filtered else texts.NO_PRODUCTS
    return Turn(state, TextReply(template.format(what=f"「{what}」" if what else "")))


@router.intent("search_product")
def search(state: DialogState, msg: Msg) -> Turn:
    p = msg.nlu
    query = p.value("product") or ("" if p.value("category") else render.search_terms(msg.text, p.entities))
    category = p.value("category")
    filtered = p.value("price_max") is not None or p.value("price_min") is not None
    if not query and not category and filtered:  # 「200块以内的」: the same search, within budget
        query, category = state.query, state.category or None
    if not query and not category and not filtered:
        return Turn(state, TextReply(texts.SEARCH_PROMPT))
    turn = product_list_turn(state, msg, query=str(query), category=category,
                             price_min_fen=p.value("price_min"), price_max_fen=p.value("price_max"))
    assert turn is not None
    spec = p.value("spec")
    if spec and isinstance(turn.reply, TextReply) and turn.state is not state and turn.state.products:
        turn = without_spec_note(turn, msg, str(spec))
    return turn


def without_spec_note(turn: Turn, msg: Msg, spec: str) -> Turn:
    """「有没有1段的奶粉」 when no listed product names 1段: say so above the list instead of
    letting a stage-3 formula pass for the answer."""
    with msg.ctx.reads() as uow:
        shown = [catalog.product_detail(uow, pid) for pid in turn.state.products]
    wanted = spec.lower()
    if any(wanted in (p.name + " " + " ".join(s.spec_text for s in p.skus)).lower() for p in shown):
        return turn
    note = texts.NO_SUCH_SPEC_LISTED.format(spec=spec)
    return Turn(turn.state, TextReply(note + "\n" + turn.reply.content))  # type: ignore[union-attr]


@router.intent("search_prompt")
@router.keyword("搜索", "搜索商品", "搜商品", "找商品")
def search_prompt(state: DialogState, msg: Msg) -> Turn:
    return Turn(state, TextReply(texts.SEARCH_PROMPT))


@router.keyword("有什么好吃的", "好吃的", "有啥好吃的", "吃的", "有什么吃的", "有吃的吗", "有好吃的吗")
def food(state: DialogState, msg: Msg) -> Turn:
    """「有什么好吃的」: the food category's products (or all categories when the shop sells no food)."""
    with msg.ctx.uow() as uow:
        categories = catalog.list_categories(uow)
    top = [c for c in categories if c.product_count > 0 and FOOD_CATEGORY.search(c.name)]
    if not top:
        return category_menu(state, categories)
    turn = product_list_turn(state, msg, category=min(top, key=lambda c: c.path.count("/")).path)
    assert turn is not None
    return turn


@router.intent("browse_category")
@router.keyword("全部分类", "分类", "所有分类", "商品分类", "逛逛", "逛商城")
def browse(state: DialogState, msg: Msg) -> Turn:
    category = msg.nlu.value("category") if msg.inbound.kind == "text" else None
    low, high = msg.nlu.value("price_min"), msg.nlu.value("price_max")
    if category or low is not None or high is not None:
        query = "" if category else state.query
        turn = product_list_turn(state, msg, query=query, category=category or state.category or None,
                                 price_min_fen=low, price_max_fen=high, quiet=True)
        if turn is not None:
            return turn
    if msg.inbound.kind == "text" and ASKS_FOR_FOOD.search(msg.text):
        return food(state, msg)
    with msg.ctx.uow() as uow:
        categories = catalog.list_categories(uow)
    return category_menu(state, categories)


def category_menu(state: DialogState, categories: Sequence[Any]) -> Turn:
    names = [c.name for c in categories if c.parent_id is None and c.product_count > 0]
    if not names:
        return Turn(state, TextReply(texts.NO_CATEGORIES))
    return Turn(state.ask(Waiting.PICK, list="categories", names=names), TextReply(render.category_list(names)))


@router.intent("recommend")
@router.keyword("猜你喜欢", "推荐", "热销", "爆款", "有什么推荐", "随便看看")
def recommend(state: DialogState, msg: Msg) -> Turn:
    with msg.ctx.uow() as uow:
        products = catalog.best_sellers(uow, LIST_SIZE)
    if not products:
        return Turn(state, TextReply(texts.NO_CATEGORIES))
    return listed(state, products, texts.RECOMMEND_HEAD)


@router.pending(Waiting.PICK)
def pick_from_list(state: DialogState, msg: Msg) -> Turn | None:
    """A bare 「2」/「第二个」 (or a category name) right after a numbered list."""
    assert state.pending is not None
    data = state.pending.data
    index = bare_ordinal(msg.text)
    if data.get("list") == "categories":
        names = [str(n) for n in data.get("names", ())]
        name = pick(names, index) if index else (msg.text if msg.text in names else None)
        if name is None:
            return None if index is None else Turn(state, TextReply(render.no_index(index, len(names))))
        turn = product_list_turn(state.settled(), msg, category=name)
        assert turn is not None
        return turn
    if index is None:
        return None
    intent = {"products": "product_detail", "orders": "order_status"}
    name = intent.get(str(data.get("list")), "product_detail")
    handler = router.find(Route.INTENT, name)
    assert handler is not None
    parse = Parse(text=msg.text, intent=name, confidence=1.0, entities=(render.index_entity(msg.text, index),))
    return handler(state, msg.with_parse(parse))
