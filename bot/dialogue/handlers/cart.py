"""Cart: add (「来两件XL的」「要第一个」「再来一件」), ask the spec, view, change (「换成M码」
「第1个改成3件」), remove."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from bot import texts
from bot.dialogue import render
from bot.dialogue.context import Msg, Turn
from bot.dialogue.handlers.product import Unresolved, load_target
from bot.dialogue.refs import bare_ordinal, pick
from bot.dialogue.router import Route, router
from bot.dialogue.state import DialogState, Waiting
from bot.messages import TextReply
from commerce.cart import services as cart
from commerce.catalog import services as catalog
from commerce.catalog.views import ProductView

SPEC_ANSWER_CHARS = 8
SPEC_INTENTS = frozenset({"add_to_cart", "affirm", "out_of_scope"})

def added(state: DialogState, view: Any, sku_id: int, product: ProductView, qty: int) -> Turn:
    spec = next((s.spec_text for s in product.skus if s.id == sku_id), "")
    reply = texts.ADDED.format(name=product.name, spec=spec, qty=qty, count=view.count,
                               total=texts.yuan(view.goods_fen))
    new = replace(state.settled(), focus=product.id, last_sku=sku_id,
                  cart=tuple(line.sku_id for line in view.lines))
    return Turn(new, TextReply(reply))


def add_sku(state: DialogState, msg: Msg, product: ProductView, sku_id: int, qty: int) -> Turn:
    with msg.ctx.uow() as uow:
        view = cart.add_item(uow, msg.openid, sku_id, qty)
        uow.commit()
    return added(state, view, sku_id, product, qty)


def choose_sku(state: DialogState, msg: Msg, product: ProductView, qty: int, spec: str | None) -> Turn:
    """One SKU → add it; a recognised spec → add that; else ask which spec, among the SKUs the hint
    narrows to (「XL」 of a product sold in colours × sizes), remembering the quantity."""
    if len(product.skus) == 1:
        return add_sku(state, msg, product, product.skus[0].id, qty)
    sku = render.spec_of(product, spec) if spec else None
    if sku is not None:
        return add_sku(state, msg, product, sku.id, qty)
    options = render.spec_options(product, spec) if spec else list(product.skus)
    if len(options) == 1:
        return add_sku(state, msg, product, options[0].id, qty)
    ask = render.spec_question(product, options)
    if spec and not options:
        ask = texts.NO_SUCH_SPEC.format(spec=spec) + "\n" + ask
    asked = replace(state, focus=product.id).ask(
        Waiting.SPEC, product_id=product.id, quantity=qty, skus=[s.id for s in options or product.skus])
    return Turn(asked, TextReply(ask))


WEIGHT_UNIT = re.compile(r"\s*(?:斤|公斤|千克|kg|KG|克|g|两|磅|ml|ML|毫升|升|L)(?![a-zA-Z])")


def quantity_of(msg: Msg) -> int:
    """Pieces wanted: 「来两件」 → 2; 「买两斤苹果」 names a weight, not 2 boxes → 1 (the spec question follows)."""
    entity = msg.nlu.first("quantity")
    qty = entity.normalized if entity is not None else None
    if entity is not None and WEIGHT_UNIT.match(msg.text, entity.end):
        return 1
    return qty if isinstance(qty, int) and qty > 0 else 1


@router.intent("add_to_cart")
def add(state: DialogState, msg: Msg) -> Turn:
    try:
        with msg.ctx.reads() as uow:
            product = load_target(uow, state, msg)
    except Unresolved as why:
        return Turn(state, TextReply(why.reply))
    spec, qty = msg.nlu.value("spec"), quantity_of(msg)
    if len(product.skus) > 1 and msg.text:  # the whole text first: 「要XL的黑色」 names two spec values
        spec_text, qty = spec_in_text(msg, product, qty)
        spec = spec_text or spec
    return choose_sku(state, msg, product, qty, spec)


def spec_in_text(msg: Msg, product: ProductView, qty: int) -> tuple[str | None, int]:
    """「要5斤的」: the NLU may read 5斤 as a quantity; if the text names a spec, it is the spec."""
    sku = catalog.match_sku(product, msg.text)
    if sku is None:
        return None, qty
    quantity = msg.nlu.first("quantity")
    if quantity is not None and quantity.value in sku.spec_text:
        qty = 1
    return sku.spec_text, qty


@router.pending(Waiting.SPEC)
def answer_spec(state: DialogState, msg: Msg) -> Turn | None:
    """「XL」「2」「第二个」「两件L的」 after the spec question."""
    assert state.pending is not None
    data = state.pending.data
    spec = msg.nlu.value("spec") if bare_ordinal(msg.text) is None else None
    with msg.ctx.reads() as uow:
        product = catalog.product_detail(uow, int(data["product_id"]))
    wanted = set(data.get("skus") or ())
    options = [s for s in product.skus if s.id in wanted] or list(product.skus)
    sku = render.spec_of(product, str(spec or msg.text), options)
    if sku is None:
        sku = render.spec_of(product, str(spec or msg.text))  # 「换成灰色XL」 names a full spec outside the list
    if sku is None:
        reask = Turn(state, TextReply(render.spec_question(product, options)))
        return reask if looks_like_spec(msg) else None
    quantity = msg.nlu.first("quantity") if bare_ordinal(msg.text) is None else None
    if quantity is None or quantity.value in sku.spec_text or not isinstance(quantity.normalized, int):
        return add_sku(state, msg, product, sku.id, int(data["quantity"]))  # 「5斤」 is the spec, not 5 pieces
    return add_sku(state, msg, product, sku.id, max(1, quantity.normalized))


def looks_like_spec(msg: Msg) -> bool:
    """An attempt at naming a spec (re-ask) rather than another request (answer that instead)."""
    if router.find(Route.KEYWORD, msg.text) is not None or len(msg.text) > SPEC_ANSWER_CHARS:
        return False
    parse = msg.nlu
    if parse.value("product") or parse.value("category"):
        return False  # 「卫衣」: another product, not a spec of this one
    other = parse.intent not in SPEC_INTENTS and parse.confidence >= msg.ctx.interpreter.threshold
    return not other or parse.value("spec") is not None


@router.intent("view_cart")
@router.keyword("购物车", "我的购物车", "看购物车", "查看购物车", "購物車")
def view(state: DialogState, msg: Msg) -> Turn:
    with msg.ctx.reads() as uow:
        current = cart.view_cart(uow, msg.openid)
    new = replace(state.settled(), cart=tuple(line.sku_id for line in current.lines))
    return Turn(new, TextReply(render.cart_text(current)))


def cart_line_sku(state: DialogState, msg: Msg) -> int | None:
    index = msg.nlu.value("index")
    if isinstance(index, int):
        return pick(state.cart, index)
    return state.last_sku if state.last_sku in state.cart or not state.cart else None


def add_again(state: DialogState, msg: Msg) -> Turn:
    """「再来一件」: more of the SKU added last."""
    assert state.last_sku is not None
    with msg.ctx.uow() as uow:
        view = cart.add_item(uow, msg.openid, state.last_sku, quantity_of(msg))
        uow.commit()
    new = replace(state.settled(), cart=tuple(line.sku_id for line in view.lines))
    return Turn(new, TextReply(render.cart_text(view)))


def change_quantity(state: DialogState, msg: Msg) -> Turn:
    sku_id = cart_line_sku(state, msg)
    if sku_id is None:
        return Turn(state, TextReply(texts.WHICH_LINE))
    qty = int(msg.nlu.value("quantity"))
    with msg.ctx.uow() as uow:
        current = cart.set_quantity(uow, msg.openid, sku_id, qty)
        uow.commit()
    name = next((line.name for line in current.lines if line.sku_id == sku_id), "")
    new = replace(state.settled(), cart=tuple(line.sku_id for line in current.lines), last_sku=sku_id)
    return Turn(new, TextReply(texts.QTY_CHANGED.format(name=name, qty=qty) + "\n" + render.cart_text(current)))


def change_spec(state: DialogState, msg: Msg) -> Turn:
    """「换成M码」: the last added line moves to another spec of the same product, same quantity."""
    assert state.last_sku is not None
    with msg.ctx.uow() as uow:
        current = cart.view_cart(uow, msg.openid)
        line = next((ln for ln in current.lines if ln.sku_id == state.last_sku), None)
        if line is None:
            return Turn(state, TextReply(texts.WHICH_LINE))
        product = catalog.product_detail(uow, line.product_id)
        sku = render.spec_of(product, str(msg.nlu.value("spec")))
        if sku is None:
            reply = texts.NO_SUCH_SPEC.format(spec=msg.nlu.value("spec")) + "\n" + render.spec_question(product)
            return Turn(state.ask(Waiting.SPEC, product_id=product.id, quantity=line.quantity), TextReply(reply))
        cart.remove_item(uow, msg.openid, line.sku_id)
        view_after = cart.add_item(uow, msg.openid, sku.id, line.quantity)
        uow.commit()
    new = replace(state.settled(), last_sku=sku.id, cart=tuple(ln.sku_id for ln in view_after.lines))
    return Turn(new, TextReply(texts.SPEC_CHANGED.format(spec=sku.spec_text, qty=line.quantity)))


@router.intent("remove_from_cart")
def remove(state: DialogState, msg: Msg) -> Turn:
    with msg.ctx.uow() as uow:
        current = cart.view_cart(uow, msg.openid)
        line = _line_to_remove(state, msg, current)
        if line is None:
            return Turn(state, TextReply(texts.WHICH_LINE if current.lines else texts.CART_EMPTY))
        after = cart.remove_item(uow, msg.openid, line.sku_id)
        uow.commit()
    new = replace(state.settled(), cart=tuple(ln.sku_id for ln in after.lines))
    return Turn(new, TextReply(texts.REMOVED.format(name=line.name) + "\n" + render.cart_text(after)))


def _line_to_remove(state: DialogState, msg: Msg, current: Any) -> Any:
    index = msg.nlu.value("index")
    if isinstance(index, int):
        sku_id = pick(state.cart or tuple(ln.sku_id for ln in current.lines), index)
        return next((ln for ln in current.lines if ln.sku_id == sku_id), None)
    name = msg.nlu.value("product")
    if name:
        return next((ln for ln in current.lines if str(name) in ln.name or ln.name in str(name)), None)
    if len(current.lines) == 1:
        return current.lines[0]
    return next((ln for ln in current.lines if ln.sku_id == state.last_sku), None)
