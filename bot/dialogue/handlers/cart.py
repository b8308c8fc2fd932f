"""Cart: add (「来两件XL的」「要第一个」「再来一件」), ask the spec, view, change (「换成M码」
「第1个改成3件」), remove."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from bot import texts
from bot.dialogue import render
from bot.dialogue.answers import is_yes
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
QUESTION = re.compile(r"吗|么|嘛|[?？]|什么|怎么|多少|能不能|可不可以|是不是|哪")
SPEC_INTENTS = frozenset({"add_to_cart", "affirm", "out_of_scope"})

def added(state: DialogState, view: Any, sku_id: int, product: ProductView, qty: int) -> Turn:
    spec = next((s.spec_text for s in product.skus if s.id == sku_id), "")
    reply = texts.ADDED.format(item=render.item_label(product.name, spec), qty=qty, count=view.count,
                               total=texts.yuan(view.goods_fen))
    new = replace(state.settled(), focus=product.id, last_sku=sku_id,
                  cart=tuple(line.sku_id for line in view.lines))
    return Turn(new, TextReply(reply))


def add_sku(state: DialogState, msg: Msg, product: ProductView, sku_id: int, qty: int) -> Turn:
    with msg.ctx.uow() as uow:
        view = cart.add_item(uow, msg.openid, sku_id, qty, commit=True)
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


def offer_sku(state: DialogState, msg: Msg, product: ProductView, sku: Any) -> Turn:
    """「10斤的有吗」「豆沙色还有吗」「10节的多少钱」: that spec's price and stock, ready for 「来一件」."""
    others = " / ".join(s.spec_text for s in product.skus if s.id != sku.id)
    if sku.stock <= 0:
        reply = texts.SPEC_SOLD_OUT.format(name=product.name, spec=sku.spec_text, others=others)
        return Turn(replace(state.settled(), focus=product.id), TextReply(reply))
    member = (texts.SPEC_OFFER_MEMBER.format(price=texts.yuan(sku.member_price_fen))
              if sku.member_price_fen is not None and sku.member_price_fen < sku.price_fen else "")
    reply = texts.SPEC_OFFER.format(name=product.name, spec=sku.spec_text, price=texts.yuan(sku.price_fen),
                                    member=member, stock=sku.stock, others=others)
    asked = replace(state, focus=product.id).ask(Waiting.SPEC, product_id=product.id, quantity=1, skus=[sku.id])
    return Turn(asked, TextReply(reply))


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
    if sku is None and len(options) == 1 and (is_yes(msg) or msg.nlu.intent == "add_to_cart"):
        sku = options[0]  # the one spec just offered (「10斤的有吗」 → 「来两箱」)
        quantity = msg.nlu.first("quantity")
        qty = quantity.normalized if quantity is not None and isinstance(quantity.normalized, int) else 1
        return add_sku(state, msg, product, sku.id, max(1, qty))
    if sku is None:
        if len(options) == 1:
            return None  # one spec was offered, not asked about: anything else is a new request
        narrowed = render.spec_options(replace(product, skus=tuple(options)), str(spec or msg.text))
        if narrowed and len(narrowed) < len(options):  # 「XL」 among 黑/灰/红 × S–XL: three left to pick from
            qty = int(data["quantity"])
            if len(narrowed) == 1:
                return add_sku(state, msg, product, narrowed[0].id, qty)
            asked = state.ask(Waiting.SPEC, product_id=product.id, quantity=qty, skus=[s.id for s in narrowed])
            return Turn(asked, TextReply(render.spec_question(product, narrowed)))
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
    if parse.value("spec") is None and QUESTION.search(msg.text):
        return False  # 「可以开发票吗」: another question, not a spec
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
    """The cart line a change means: by position, by product name (「纸尿裤改成3包」), the line just
    added, or the only line."""
    index = msg.nlu.value("index")
    if isinstance(index, int):
        return pick(state.cart, index)
    name = msg.nlu.value("product")
    if name or (state.last_sku not in state.cart and len(state.cart) > 0):
        with msg.ctx.reads() as uow:
            lines = cart.view_cart(uow, msg.openid).lines
        named = [ln for ln in lines if _same_product(str(name), ln.name)] if name else list(lines)
        return named[0].sku_id if len(named) == 1 else None
    return state.last_sku if state.last_sku in state.cart or not state.cart else None


def add_again(state: DialogState, msg: Msg) -> Turn:
    """「再来一件」: more of the SKU added last."""
    assert state.last_sku is not None
    qty = quantity_of(msg)
    with msg.ctx.uow() as uow:
        view = cart.add_item(uow, msg.openid, state.last_sku, qty)
        line = next(ln for ln in view.lines if ln.sku_id == state.last_sku)
        product = catalog.product_detail(uow, line.product_id)
        uow.commit()
    return added(state, view, state.last_sku, product, qty)


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


def change_spec(state: DialogState, msg: Msg) -> Turn | None:
    """「换成M码」「换成5斤的」: the last added line moves to another spec of the same product, same
    quantity.  None when the text names no spec (「改成3件」 is a quantity)."""
    assert state.last_sku is not None
    named = msg.nlu.value("spec")
    with msg.ctx.uow() as uow:
        current = cart.view_cart(uow, msg.openid)
        line = next((ln for ln in current.lines if ln.sku_id == state.last_sku), None)
        if line is None:
            return Turn(state, TextReply(texts.WHICH_LINE)) if named else None
        product = catalog.product_detail(uow, line.product_id)
        sku = render.spec_of(product, str(named)) if named else None
        if sku is None and len(product.skus) > 1:
            sku = catalog.match_sku(product, msg.text)  # 「5斤」 read as a quantity by the NLU
        if sku is None or sku.id == line.sku_id:
            if not named:
                return None
            reply = texts.NO_SUCH_SPEC.format(spec=named) + "\n" + render.spec_question(product)
            return Turn(state.ask(Waiting.SPEC, product_id=product.id, quantity=line.quantity), TextReply(reply))
        cart.remove_item(uow, msg.openid, line.sku_id)
        view_after = cart.add_item(uow, msg.openid, sku.id, line.quantity)
        uow.commit()
    new = replace(state.settled(), last_sku=sku.id, cart=tuple(ln.sku_id for ln in view_after.lines))
    return Turn(new, TextReply(texts.SPEC_CHANGED.format(spec=sku.spec_text, qty=line.quantity)))


ALL_OF = re.compile(r"都|全部|所有|统统|全都|一起")


@router.intent("remove_from_cart")
def remove(state: DialogState, msg: Msg) -> Turn:
    with msg.ctx.uow() as uow:
        current = cart.view_cart(uow, msg.openid)
        lines = _lines_to_remove(state, msg, current)
        if not lines:
            name = msg.nlu.value("product")
            why = texts.NOT_IN_CART.format(name=name) if name and current.lines else texts.WHICH_LINE
            return Turn(state, TextReply(why if current.lines else texts.CART_EMPTY))
        after = current
        for line in lines:
            after = cart.remove_item(uow, msg.openid, line.sku_id)
        uow.commit()
    names = "、".join(dict.fromkeys(ln.name for ln in lines))
    new = replace(state.settled(), cart=tuple(ln.sku_id for ln in after.lines))
    return Turn(new, TextReply(texts.REMOVED.format(name=names) + "\n" + render.cart_text(after)))


@router.keyword("清空购物车", "清空", "购物车清空", "全部删除", "全删了", "全部删掉", "都删了", "清除购物车")
def clear(state: DialogState, msg: Msg) -> Turn:
    with msg.ctx.uow() as uow:
        cart.clear(uow, msg.openid)
        uow.commit()
    return Turn(replace(state.settled(), cart=(), last_sku=None), TextReply(texts.CART_CLEARED))


def _lines_to_remove(state: DialogState, msg: Msg, current: Any) -> list[Any]:
    """One line (by position, name or the last added), or every line of the named product when the
    text says 都/全部 (「把口红都删了」)."""
    name = msg.nlu.value("product")
    if ALL_OF.search(msg.text) and msg.nlu.value("index") is None:
        if not name:
            return list(current.lines)
        return [ln for ln in current.lines if _same_product(str(name), ln.name)]
    line = _line_to_remove(state, msg, current)
    return [line] if line is not None else []


def _same_product(name: str, line_name: str) -> bool:
    return name in line_name or line_name in name


def _line_to_remove(state: DialogState, msg: Msg, current: Any) -> Any:
    index = msg.nlu.value("index")
    if isinstance(index, int):
        sku_id = pick(state.cart or tuple(ln.sku_id for ln in current.lines), index)
        return next((ln for ln in current.lines if ln.sku_id == sku_id), None)
    name = msg.nlu.value("product")
    if name:
        return next((ln for ln in current.lines if _same_product(str(name), ln.name)), None)
    if len(current.lines) == 1:
        return current.lines[0]
    return next((ln for ln in current.lines if ln.sku_id == state.last_sku), None)
