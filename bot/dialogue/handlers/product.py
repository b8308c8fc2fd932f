"""Product detail: 「第二个详细说说」「脐橙怎么样」「2」 → a one-article news card."""

from __future__ import annotations

from dataclasses import replace

from bot import texts
from bot.dialogue import render
from bot.dialogue.context import Msg, Turn
from bot.dialogue.refs import pick
from bot.dialogue.router import router
from bot.dialogue.state import DialogState
from bot.messages import TextReply
from commerce.catalog import services as catalog
from commerce.catalog.views import ProductView
from commerce.db import UnitOfWork


class Unresolved(Exception):
    """The message points at no product we can name; carries the reply explaining why."""

    def __init__(self, reply: str) -> None:
        super().__init__(reply)
        self.reply = reply


IMPLICIT_LIST_SIZE = 6


def target_id(uow: UnitOfWork, state: DialogState, msg: Msg) -> int:
    """The product a message means: by position in the last list, by name, or the one in focus."""
    index = msg.nlu.value("index")
    if isinstance(index, int):
        # No list shown yet: 「第一个商品」 means the first of the shop's own list (猜你喜欢).
        shown = state.products or tuple(p.id for p in catalog.best_sellers(uow, IMPLICIT_LIST_SIZE))
        chosen = pick(shown, index)
        if chosen is None:
            raise Unresolved(render.no_index(index, len(shown)))
        return chosen
    name = msg.nlu.value("product")
    if name:
        found = catalog.search_products(uow, str(name), limit=1)
        if found:
            return found[0].id
        raise Unresolved(texts.NO_PRODUCTS.format(what=f"「{name}」"))
    if state.focus is not None:
        return state.focus
    if len(state.products) == 1:
        return state.products[0]
    raise Unresolved(texts.WHICH_PRODUCT if state.products else texts.NO_LIST)


def load_target(uow: UnitOfWork, state: DialogState, msg: Msg) -> ProductView:
    return catalog.product_detail(uow, target_id(uow, state, msg))


@router.intent("product_detail")
def detail(state: DialogState, msg: Msg) -> Turn:
    try:
        with msg.ctx.reads() as uow:
            product = load_target(uow, state, msg)
    except Unresolved as why:
        if why.reply == texts.NO_LIST and msg.inbound.kind == "text":  # 「有宝宝用的吗」: nothing shown yet, so search
            from bot.dialogue.handlers.browse import product_list_turn

            terms = render.search_terms(msg.text, msg.nlu.entities)
            found = product_list_turn(state, msg, query=terms, quiet=True) if terms else None
            if found is not None:
                return found
        return Turn(state, TextReply(why.reply))
    from bot.dialogue.handlers.aftersale import ports  # late: keeps the handlers' registration order

    card = render.product_card(msg.ctx, product, return_days=ports().after_sale_days)
    return Turn(replace(state.settled(), focus=product.id), card)
