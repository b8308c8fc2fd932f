"""Route providers per package.  Each is `fn(container) -> list[BaseRoute]`; add yours here."""

from __future__ import annotations

from starlette.routing import BaseRoute

from siyu.app import RouteProvider
from siyu.container import Container


def _dialogue_routes(c: Container) -> list[BaseRoute]:
    from siyu.dialogue import dialogue_routes  # product page /p/{id} and /media/{path}

    return dialogue_routes(c)


PROVIDERS: list[RouteProvider] = [_dialogue_routes]
