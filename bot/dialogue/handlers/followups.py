"""Context rules tried before intent routing: short follow-ups that only make sense against what
was just shown or bought, whatever intent the NLU guesses for them."""

from __future__ import annotations

import re

from bot import texts
from bot.dialogue import render
from bot.dialogue.context import Msg, Turn
from bot.dialogue.handlers import browse, cart, product
from bot.dialogue.refs import bare_ordinal
from bot.dialogue.render import index_entity
from bot.dialogue.router import router
from bot.dialogue.state import DialogState
from bot.messages import TextReply
from commerce.catalog import services as catalog
from commerce.catalog.views import ProductView, SkuView
from commerce.orders import policy as order_policy
from nlu.types import Parse

CHANGE = re.compile(r"换成|换个|换一个|改成|改为|改到|换")
AGAIN = re.compile(r"^(?:再|多|还)(?:来|要|加|买)")
CHEAPER = re.compile(r"便宜|实惠|划算|性价比|低价|平价")
REFINABLE = frozenset({"search_product", "browse_category", "out_of_scope", "coupon_query", "product_detail"})
THIS_ONE = re.compile(r"^(?:就|我)?(?:要|买|选)?(?:这个|这款|这件|它)(?:了|吧|啦)?$|^就它")


@router.followup("pick_number")
def pick_number(state: DialogState, msg: Msg) -> Turn | None:
    """A bare 「2」 with a product list in the state: that product's detail."""
    index = bare_ordinal(msg.text)
    if index is None or not state.products:
        return None
    parse = Parse(text=msg.text, intent="product_detail", confidence=1.0, entities=(index_entity(msg.text, index),))
    return product.detail(state, msg.with_parse(parse))


@router.followup("change_spec")
def change_spec(state: DialogState, msg: Msg) -> Turn | None:
    """「换成M码」 after adding something: the same line in another spec."""
    if state.last_sku is None or not CHANGE.search(msg.text):
        return None
    return cart.change_spec(state, msg)


@router.followup("change_quantity")
def change_quantity(state: DialogState, msg: Msg) -> Turn | None:
    """「第1个改成3件」「改成两件」 with the cart (or a just-added line) in the state."""
    if not (state.cart or state.last_sku) or not CHANGE.search(msg.text):
        return None
    if not isinstance(msg.nlu.value("quantity"), int):
        return None
    return cart.change_quantity(state, msg)


@router.followup("add_again")
def add_again(state: DialogState, msg: Msg) -> Turn | None:
    """「再来一件」「再要两件」: more of what was added last (unless another product is named)."""
    if state.last_sku is None or not AGAIN.search(msg.text):
        return None
    if msg.nlu.value("product") or msg.nlu.value("index") is not None:
        return None
    if state.focus is not None:  # 「还要一箱五斤的」: more of the product, in the spec it names
        with msg.ctx.reads() as uow:
            item = catalog.product_detail(uow, state.focus)
        sku = named_sku(item, msg)
        if sku is not None and sku.id != state.last_sku:
            return cart.add_sku(state, msg, item, sku.id, cart.quantity_of(msg))
    return cart.add_again(state, msg)


@router.followup("this_one")
def this_one(state: DialogState, msg: Msg) -> Turn | None:
    """「就这个」「要这个」 about the product in focus: put it in the cart."""
    if state.focus is None or not THIS_ONE.search(msg.text.strip(" 。!！~")):
        return None
    return cart.add(state, msg)


@router.followup("refine_search")
def refine_search(state: DialogState, msg: Msg) -> Turn | None:
    """「200块以内的」「300以上的」「便宜点的」 right after a search: the same search, filtered or
    cheapest first — whatever intent (often low-confidence) the NLU guesses for a bare filter."""
    if not (state.query or state.category or state.products) or msg.nlu.value("product") or msg.nlu.value("category"):
        return None
    low, high = msg.nlu.value("price_min"), msg.nlu.value("price_max")
    cheaper = CHEAPER.search(msg.text) is not None
    if low is None and high is None and not cheaper:
        return None
    if msg.nlu.intent not in REFINABLE and msg.nlu.confidence >= msg.ctx.interpreter.threshold:
        return None
    return browse.product_list_turn(state.settled(), msg, query=state.query, category=state.category or None,
                                    price_min_fen=low, price_max_fen=high, cheapest_first=cheaper)


SPEC_QUESTION = re.compile(r"(颜色|色号|尺码|码数|尺寸|规格|型号|大小|口味|款式|重量|容量|几斤).*(什么|哪些|哪几|几种|几个|多少|有没有|吗)"
                           r"|(什么|哪些|哪几|几种|有没有).*(颜色|色号|尺码|码数|尺寸|规格|型号|大小|口味|款式|容量)")


ASKS_IF_THERE_IS = re.compile(r"有没有|有吗|有木有|有没|还有|有.{0,6}的吗")
ASKS_ABOUT_ONE = re.compile(r"有没有|有吗|有么|有木有|有没|还有|有货|有.{0,6}的吗|多少钱|多钱|几块|什么价|价格|价钱|贵吗|会员价")
SPEC_QUESTION_CHARS = 16
SPEC_WORDS = re.compile(r"大|小|瓶|装|号|码|斤|克|ml|规格|颜色|色|尺寸|容量|包|罐|盒")


def named_sku(item: ProductView, msg: Msg) -> SkuView | None:
    """The one SKU of a multi-spec product the text names (「10斤」 even when the NLU read it as a quantity)."""
    if len(item.skus) < 2:
        return None
    spec = msg.nlu.value("spec")
    sku = render.spec_of(item, str(spec)) if spec else None
    return sku or catalog.match_sku(item, msg.text)


@router.followup("ask_specs")
def ask_specs(state: DialogState, msg: Msg) -> Turn | None:
    """「有什么颜色」「有哪些尺码」 about the product in focus: its specs, ready to pick one;
    「10斤的有吗」「10节的多少钱」: that spec's price and stock."""
    if state.focus is None or msg.nlu.value("product") or msg.nlu.value("category"):
        return None
    lists_specs = SPEC_QUESTION.search(msg.plain) is not None
    asks_about_one = len(msg.text) <= SPEC_QUESTION_CHARS and ASKS_ABOUT_ONE.search(msg.plain) is not None
    if not (lists_specs or asks_about_one):
        return None
    with msg.ctx.reads() as uow:
        item = catalog.product_detail(uow, state.focus)
    sku = named_sku(item, msg) if asks_about_one else None
    if sku is not None:
        return cart.offer_sku(state, msg, item, sku)
    asks_for_spec = msg.nlu.value("spec") is not None and ASKS_IF_THERE_IS.search(msg.plain) is not None
    if not (lists_specs or asks_for_spec) and ASKS_IF_THERE_IS.search(msg.plain) and SPEC_WORDS.search(msg.plain):
        specs = " / ".join(s.spec_text for s in item.skus if s.spec_text) or texts.ONE_SPEC
        return Turn(state, TextReply(texts.ONLY_SPECS.format(name=item.name, specs=specs)))  # 「有没有小瓶的」
    if not (lists_specs or asks_for_spec):  # 「有什么颜色」 or 「有没有大号的」
        return None
    hint = str(msg.nlu.value("spec") or msg.text)
    narrows = len(render.spec_options(item, hint)) > 0  # 「有没有XL码」: the XL ones; 「大号」 names no value
    return cart.choose_sku(state, msg, item, 1, hint if narrows else None) if len(item.skus) > 1 else product.detail(
        state, msg.with_parse(Parse(text=msg.text, intent="product_detail", confidence=1.0)))


BARE_SPEC_CHARS = 8


@router.followup("bare_spec")
def bare_spec(state: DialogState, msg: Msg) -> Turn | None:
    """「M码」「黑色」「要XL的」「10斤的」 right after a product card: that spec of the product in focus
    (added when it names one SKU, else the narrowed spec question)."""
    if state.focus is None or len(msg.text) > BARE_SPEC_CHARS or msg.nlu.value("product"):
        return None
    if msg.nlu.intent not in ("add_to_cart", "product_detail", "search_product"):
        return None
    with msg.ctx.reads() as uow:
        item = catalog.product_outline(uow, state.focus)  # names and specs: no query (adding re-checks stock)
    if len(item.skus) < 2 or (msg.nlu.value("spec") is None and named_sku(item, msg) is None):
        return None
    spec_text, qty = cart.spec_in_text(msg, item, cart.quantity_of(msg))
    return cart.choose_sku(state, msg, item, qty, spec_text or str(msg.nlu.value("spec")))


SHIPPING_QUESTION = re.compile(r"发什么快递|哪家快递|用什么快递|什么快递|多久(?:能|可以)?(?:到|收到|发货)|几天(?:能|可以)?(?:到|收到)"
                               r"|什么时候发货|何时发货|包邮|运费|指定快递|发(?:什么|哪家)?(?:顺丰|圆通|中通|韵达|申通|京东|邮政|ems|极兔)")


ABOUT_AN_ORDER = re.compile(r"我的|我买的|订单|物流|到哪|单号")  # 「我的快递多久能到」 is tracking, not pre-sale


@router.followup("shipping_question")
def shipping_question(state: DialogState, msg: Msg) -> Turn | None:
    """「包邮吗」「多久能到」「发什么快递」 before buying: the shop's shipping terms from the live template."""
    if not SHIPPING_QUESTION.search(msg.plain) or ABOUT_AN_ORDER.search(msg.plain):
        return None
    if msg.nlu.value("order_no") or msg.nlu.value("tracking_no"):
        return None
    template = order_policy.current().shipping
    free = ""
    if template.free_over_fen is not None:
        free = texts.SHIPPING_FREE.format(free_over=texts.yuan(template.free_over_fen))
        if template.no_free_provinces:
            free += texts.SHIPPING_FREE_EXCEPT.format(regions="、".join(sorted(template.no_free_provinces)))
    rate = template.default
    return Turn(state, TextReply(texts.SHIPPING_INFO.format(first=texts.yuan(rate.first_fen),
                                                            extra=texts.yuan(rate.extra_fen), free=free)))
