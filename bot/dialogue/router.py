"""One generic registry of dialogue handlers.

    @router.intent("search_product")
    @router.keyword("帮助", "help")
    @router.menu("MENU_CART")
    @router.event("subscribe")
    @router.message("image")          # non-text message types
    @router.pending(Waiting.PHONE)     # the answer to a question we asked (may return None: not an answer)
    @router.followup("change_spec")    # a context rule tried before intent routing (None: not mine)

Decorators return the function unchanged.  A later registration for the same key
replaces the earlier one, so other packages can override a default handler.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar

from bot.dialogue.context import Handler, PendingHandler

F = TypeVar("F", bound=Callable[..., object])

_PUNCTUATION = str.maketrans("", "", " \t\r\n!！?？。.,，~～、…:：;；\"'“”‘’()（）[]【】<>《》")


class Route(StrEnum):
    INTENT = "intent"
    KEYWORD = "keyword"
    MENU = "menu"
    EVENT = "event"
    MESSAGE = "message"
    PENDING = "pending"
    FOLLOWUP = "followup"


def keyword_key(text: str) -> str:
    """How exact keywords are compared: no spaces or punctuation, lower case."""
    return text.translate(_PUNCTUATION).lower()


class Router:
    def __init__(self) -> None:
        self._table: dict[tuple[Route, str], Callable[..., object]] = {}
        self._followups: list[PendingHandler] | None = None  # cached on the hot path

    def _register(self, route: Route, *names: str) -> Callable[[F], F]:
        def decorator(fn: F) -> F:
            for name in names:
                key = keyword_key(name) if route is Route.KEYWORD else str(name)
                self._table[(route, key)] = fn
            self._followups = None
            return fn

        return decorator

    def intent(self, *names: str) -> Callable[[F], F]:
        return self._register(Route.INTENT, *names)

    def keyword(self, *words: str) -> Callable[[F], F]:
        return self._register(Route.KEYWORD, *words)

    def menu(self, *keys: str) -> Callable[[F], F]:
        return self._register(Route.MENU, *keys)

    def event(self, *names: str) -> Callable[[F], F]:
        return self._register(Route.EVENT, *names)

    def message(self, *kinds: str) -> Callable[[F], F]:
        return self._register(Route.MESSAGE, *kinds)

    def pending(self, *waitings: str) -> Callable[[F], F]:
        return self._register(Route.PENDING, *waitings)

    def followup(self, *names: str) -> Callable[[F], F]:
        return self._register(Route.FOLLOWUP, *names)

    def followups(self) -> list[PendingHandler]:
        """Context rules in registration order (「换成M码」「再来一件」「就这个」 read against the state)."""
        if self._followups is None:
            self._followups = [fn for (r, _), fn in self._table.items() if r is Route.FOLLOWUP]  # type: ignore[misc]
        return self._followups

    def find(self, route: Route, name: str) -> Handler | None:
        key = keyword_key(name) if route is Route.KEYWORD else name
        return self._table.get((route, key))  # type: ignore[return-value]

    def find_pending(self, waiting: str) -> PendingHandler | None:
        return self._table.get((Route.PENDING, waiting))  # type: ignore[return-value]

    def names(self, route: Route) -> set[str]:
        return {name for (r, name) in self._table if r is route}


router = Router()
