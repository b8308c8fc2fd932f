"""The NLU result types and the interpreter protocol every backend implements."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

Normalized = int | str | None


@dataclass(frozen=True)
class Entity:
    """One entity found in the text; `start`/`end` index the original text."""

    entity: str
    value: str
    start: int
    end: int
    normalized: Normalized = None


@dataclass(frozen=True)
class Parse:
    """What a message means: best intent, its confidence, entities, full ranking."""

    text: str
    intent: str
    confidence: float
    entities: tuple[Entity, ...] = ()
    ranking: tuple[tuple[str, float], ...] = ()

    def first(self, name: str) -> Entity | None:
        """The first entity of type `name`, or None."""
        for ent in self.entities:
            if ent.entity == name:
                return ent
        return None

    def value(self, name: str, default: Any = None) -> Any:
        """The first `name` entity's normalized value (else its surface value), or `default`."""
        ent = self.first(name)
        if ent is None:
            return default
        return ent.normalized if ent.normalized is not None else ent.value


@runtime_checkable
class Interpreter(Protocol):
    """Text in, `Parse` out.  `threshold`: below it, ask a clarifying question."""

    threshold: float

    def parse(self, text: str) -> Parse: ...

    def update_vocabulary(
        self,
        *,
        products: Iterable[str] = (),
        categories: Iterable[str] = (),
        carriers: Iterable[str] = (),
        specs: Iterable[str] = (),
    ) -> None: ...
