"""Unclear input, out-of-scope, not-yet-available features, human agent, non-text messages."""

from __future__ import annotations

import re

from bot import texts
from bot.dialogue.context import Msg, Turn
from bot.dialogue.handlers.browse import ASKS_FOR_FOOD, food, product_list_turn
from bot.dialogue.refs import bare_ordinal, pick
from bot.dialogue.router import Route, router
from bot.dialogue.state import DialogState, Waiting
from bot.messages import TextReply, TransferReply
from nlu.types import Parse

# intents worth offering as suggestions when we are unsure (never small talk)
SUGGESTIBLE = frozenset(texts.INTENT_LABELS) - {"human_agent", "help"}
DEFAULT_SUGGESTIONS = ("search_product", "recommend", "human_agent")
SEARCH_ENTITIES = ("product", "category", "price_max", "price_min")
MAX_PRODUCT_TEXT = 10  # longer texts are sentences, not product names
ASKS_FOR_ITEM = re.compile(r"^(?:请问|老板|亲)?\s*(?:你们|店里|这里)?(?:有没有|有木有|有|卖不卖|卖|想买|要买|我要买|我想买|买)"
                           r"(?P<item>[\u4e00-\u9fff]{1,8}?)(?:卖)?(?:吗|么|嘛|没有|不)?[?？。!！~～]*$")
_PRODUCTISH = re.compile(r"^[\w\u4e00-\u9fff\s·\-+]+$")


NOT_PRODUCT_CHARS = frozenset("嗯哦噢喔啊呀哈呵嘿喂好行要买不是对在吗呢吧谢的了我你他她它啥哎唉额呃")


def looks_like_product(text: str) -> bool:
    """A short name-like text; one Chinese character too (「梨」「茶」「米」), unless it is a chat particle."""
    if len(text) == 1:
        return "\u4e00" <= text <= "\u9fff" and text not in NOT_PRODUCT_CHARS
    return 1 < len(text) <= MAX_PRODUCT_TEXT and bool(_PRODUCTISH.match(text)) and not text.isdigit()


def suggestions(parse: Parse) -> list[str]:
    """2–3 intents to offer: the NLU's runners-up first, then safe defaults."""
    ranked = [name for name, _ in parse.ranking if name in SUGGESTIBLE][:2]
    for name in DEFAULT_SUGGESTIONS:
        if len(ranked) >= 3:
            break
        if name not in ranked:
            ranked.append(name)
    return ranked


def clarify(state: DialogState, msg: Msg) -> Turn:
    options = suggestions(msg.nlu)
    lines = [texts.CLARIFY]
    lines += [texts.CLARIFY_OPTION.format(n=i, label=texts.INTENT_LABELS[o]) for i, o in enumerate(options, 1)]
    lines.append(texts.CLARIFY_TAIL)
    return Turn(state.ask(Waiting.CLARIFY, options=options, text=msg.text), TextReply("\n".join(lines)))


@router.intent("nlu_fallback")
def unclear(state: DialogState, msg: Msg) -> Turn:
    """Low confidence or out of scope: maybe a search (entities found, or a product name with typos);
    else ask a clarifying question, or deflect politely."""
    if any(msg.nlu.value(name) is not None for name in SEARCH_ENTITIES):
        turn = product_list_turn(state, msg, query=str(msg.nlu.value("product") or ""),
                                 category=msg.nlu.value("category"), price_min_fen=msg.nlu.value("price_min"),
                                 price_max_fen=msg.nlu.value("price_max"), quiet=True)
        if turn is not None:
            return turn
    if ASKS_FOR_FOOD.search(msg.text):
        return food(state, msg)
    if looks_like_product(msg.text):
        turn = product_list_turn(state, msg, query=msg.text, quiet=True)
        if turn is not None:
            return turn
    asked = ASKS_FOR_ITEM.match(msg.plain)
    if asked:  # 「有橘子吗」 and the shop has none: say so, rather than 'what do you mean?'
        turn = product_list_turn(state, msg, query=asked.group("item"))
        assert turn is not None
        return turn
    if msg.nlu.intent == "out_of_scope" and msg.nlu.confidence >= msg.ctx.interpreter.threshold:
        return Turn(state, TextReply(texts.OUT_OF_SCOPE))
    return clarify(state, msg)


@router.pending(Waiting.CLARIFY)
def pick_suggestion(state: DialogState, msg: Msg) -> Turn | None:
    """「2」 after a clarifying question runs that suggestion with the original text's entities."""
    assert state.pending is not None
    options: list[str] = list(state.pending.data.get("options", ()))
    index = bare_ordinal(msg.text)
    choice = pick(options, index) if index is not None else None
    if choice is None:
        return None
    from bot.dialogue.engine import UNKNOWN_INTENT  # late: the engine imports the handlers

    intent = choice
    original = str(state.pending.data.get("text", ""))
    parse = msg.ctx.interpreter.parse(original) if original else Parse(text="", intent=intent, confidence=1.0)
    chosen = Parse(text=original, intent=intent, confidence=1.0, entities=parse.entities)
    handler = router.find(Route.INTENT, intent) or router.find(Route.INTENT, UNKNOWN_INTENT)
    assert handler is not None
    return handler(state.settled(), msg.with_parse(chosen))


@router.intent("unhandled_intent")
def coming_soon(state: DialogState, msg: Msg) -> Turn:
    label = texts.INTENT_LABELS.get(msg.nlu.intent, "这个")
    return Turn(state, TextReply(texts.COMING_SOON.format(label=label)))


@router.intent("human_agent")
@router.keyword("转人工", "人工", "人工客服", "客服", "找客服", "转人工客服", "真人")
def human_agent(state: DialogState, msg: Msg) -> Turn:
    return Turn(state.settled(), TransferReply())


@router.message("image", "voice", "video", "shortvideo", "location", "link", "unknown")
def other_message(state: DialogState, msg: Msg) -> Turn:
    reply = texts.MESSAGE_KIND_REPLIES.get(msg.inbound.kind, texts.UNKNOWN_KIND)
    return Turn(state, TextReply(reply))
