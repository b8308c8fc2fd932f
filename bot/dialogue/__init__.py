"""Shopping by chat: `Dialogue.respond(inbound) -> Reply` (see engine.py), handlers per intent
(handlers/), per-user state in the KV store (state.py), one registry (router.py)."""

from __future__ import annotations

from bot.dialogue.context import Ctx, Msg, Turn
from bot.dialogue.engine import Dialogue
from bot.dialogue.router import router
from bot.dialogue.state import DialogState, StateStore, Waiting

__all__ = ["Ctx", "DialogState", "Dialogue", "Msg", "StateStore", "Turn", "Waiting", "router"]
