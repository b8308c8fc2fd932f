"""Route providers per package.  Each is `fn(container) -> list[BaseRoute]`; add yours here."""

from __future__ import annotations

from siyu.app import RouteProvider

PROVIDERS: list[RouteProvider] = []
