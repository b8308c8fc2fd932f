"""The dialogue engine: `Dialogue.respond(inbound) -> Reply`, the one entry point of the bot.

Per message: one KV get (state), one NLU parse of every text (cached on the
message, so keyword, pending-question and intent handlers share it), one unit of work in the
handler, one KV set.  Every exception becomes a reply: domain errors through
`ERROR_TEXTS`, anything else is logged with the request id and apologised for.
"""

from __future__ import annotations

import logging

from bot import texts
from bot.dialogue import handlers  # noqa: F401  (registers the default handlers)
from bot.dialogue.context import Ctx, Msg, Turn
from bot.dialogue.router import Route, Router, router
from bot.dialogue.state import DialogState, StateStore
from bot.messages import EmptyReply, Inbound, Reply, TextReply
from commerce.errors import CommerceError
from nlu.types import Parse

log = logging.getLogger("bot.dialogue")

FALLBACK_INTENT = "nlu_fallback"  # low confidence or out of scope
UNKNOWN_INTENT = "unhandled_intent"  # an intent nobody registered yet
MENU_INTENTS: dict[str, str] = {
    "MENU_CATEGORIES": "browse_category", "MENU_RECOMMEND": "recommend", "MENU_SEARCH": "search_prompt",
    "MENU_CART": "view_cart", "MENU_ORDERS": "my_orders", "MENU_MEMBER": "member_info",
    "MENU_HUMAN": "human_agent", "MENU_BECOME_DISTRIBUTOR": "become_distributor",
    "MENU_POSTER": "get_poster", "MENU_COMMISSION": "commission_query", "MENU_HELP": "help",
}
SILENT_EVENTS = frozenset({"unsubscribe", "view", "location", "templatesendjobfinish", "masssendjobfinish"})


class Dialogue:
    def __init__(self, ctx: Ctx, store: StateStore, routes: Router = router) -> None:
        self.ctx = ctx
        self.store = store
        self.routes = routes

    def respond(self, inbound: Inbound) -> Reply:
        """Answer one inbound message; never raises, never stays silent on a user message."""
        state = self._load(inbound.openid)
        try:
            turn = self.dispatch(state, Msg(inbound, self.ctx))
        except CommerceError as err:
            log.info("domain error %s [%s]", type(err).__name__, inbound.request_id)
            turn = Turn(state.settled(), TextReply(texts.error_text(err)))
        except Exception:
            log.exception("dialogue handler failed [request_id=%s kind=%s]", inbound.request_id, inbound.kind)
            turn = Turn(state.settled(), TextReply(texts.SYSTEM_BUSY))
        if turn.state != state or inbound.kind == "text":
            self._save(inbound.openid, turn.state)
        return turn.reply

    # -- routing ----------------------------------------------------------------
    def dispatch(self, state: DialogState, msg: Msg) -> Turn:
        kind = msg.inbound.kind
        if kind == "event":
            return self._event(state, msg)
        if kind == "voice" and msg.text:
            kind = "text"  # voice with recognition reads like text
        if kind != "text":
            handler = self.routes.find(Route.MESSAGE, kind) or self.routes.find(Route.MESSAGE, "unknown")
            return handler(state, msg) if handler else Turn(state, TextReply(texts.UNKNOWN_KIND))
        if not msg.text:
            return Turn(state, TextReply(texts.EMPTY_TEXT))
        return self._text(state, msg)

    def _text(self, state: DialogState, msg: Msg) -> Turn:
        msg.nlu  # noqa: B018 - every text is parsed once (~0.15 ms): keyword and pending answers read its entities too
        if state.pending is not None:
            answer = self.routes.find_pending(state.pending.waiting)
            turn = answer(state, msg) if answer else None
            if turn is not None:
                return turn
            state = state.settled()
        keyword = self.routes.find(Route.KEYWORD, msg.text)
        if keyword is not None:
            return keyword(state, msg)
        for rule in self.routes.followups():
            turn = rule(state, msg)
            if turn is not None:
                return turn
        return self.by_intent(state, msg)

    def by_intent(self, state: DialogState, msg: Msg) -> Turn:
        parse = msg.nlu
        unclear = parse.intent == "out_of_scope" or parse.confidence < self.ctx.interpreter.threshold
        name = FALLBACK_INTENT if unclear else parse.intent
        handler = self.routes.find(Route.INTENT, name) or self.routes.find(Route.INTENT, UNKNOWN_INTENT)
        if handler is None:
            return Turn(state, TextReply(texts.OUT_OF_SCOPE))
        return handler(state, msg)

    def _event(self, state: DialogState, msg: Msg) -> Turn:
        event = msg.inbound.event.lower()
        if event == "click":
            return self._menu(state.settled(), msg)
        handler = self.routes.find(Route.EVENT, event)
        if handler is not None:
            return handler(state, msg)
        if event in SILENT_EVENTS:
            return Turn(state, EmptyReply())
        return Turn(state, EmptyReply())

    def _menu(self, state: DialogState, msg: Msg) -> Turn:
        key = msg.inbound.key
        handler = self.routes.find(Route.MENU, key)
        if handler is not None:
            return handler(state, msg)
        intent = MENU_INTENTS.get(key, "help")
        as_text = msg.with_parse(Parse(text="", intent=intent, confidence=1.0))
        handler = self.routes.find(Route.INTENT, intent) or self.routes.find(Route.INTENT, UNKNOWN_INTENT)
        return handler(state, as_text) if handler else Turn(state, TextReply(texts.HELP))

    # -- state I/O: a broken cache must not silence the bot -------------------------------
    def _load(self, openid: str) -> DialogState:
        try:
            return self.store.load(openid)
        except Exception:
            log.exception("dialogue state could not be loaded; starting fresh")
            return DialogState()

    def _save(self, openid: str, state: DialogState) -> None:
        try:
            self.store.save(openid, state)
        except Exception:
            log.exception("dialogue state could not be saved")
