"""Keeping the NLU's product/category/spec words in step with the live catalog.

`CatalogVocabulary` wraps an interpreter: at most every `interval` seconds (never
on the hot path of more than one message at a time) it reads the catalog's
vocabulary and, only when it changed, hands it to `update_vocabulary`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable

from commerce.catalog import services as catalog
from commerce.db import Database
from nlu.types import Interpreter, Parse

log = logging.getLogger("bot.dialogue.vocabulary")
REFRESH_SECONDS = 30.0
PARSE_CACHE_SIZE = 4096


class CatalogVocabulary:
    """An `Interpreter` that refreshes its catalog vocabulary from the database now and then."""

    def __init__(self, inner: Interpreter, db: Database, interval: float = REFRESH_SECONDS) -> None:
        self.inner = inner
        self.db = db
        self.interval = interval
        self._checked = float("-inf")
        self._fingerprint = 0
        self._lock = threading.Lock()
        self._parses: dict[str, Parse] = {}

    @property
    def threshold(self) -> float:  # type: ignore[override]
        return self.inner.threshold

    def parse(self, text: str) -> Parse:
        """The inner interpreter's parse, remembered for the most frequent texts until the vocabulary changes.

        Shoppers repeat themselves (「你好」「购物车」「1」「结算」): a parse is a pure function of the
        text and the vocabulary, and a remembered one costs nothing next to the ~0.2 ms of parsing.
        """
        if time.monotonic() - self._checked >= self.interval:
            self.refresh()
        cache = self._parses
        found = cache.get(text)
        if found is None:
            found = self.inner.parse(text)
            if len(cache) >= PARSE_CACHE_SIZE:
                cache.clear()  # crude but lock-free; the frequent texts come back within seconds
            cache[text] = found
        return found

    def update_vocabulary(self, *, products: Iterable[str] = (), categories: Iterable[str] = (),
                          carriers: Iterable[str] = (), specs: Iterable[str] = ()) -> None:
        self.inner.update_vocabulary(products=products, categories=categories, carriers=carriers, specs=specs)
        self._parses = {}

    def refresh(self, *, force: bool = False) -> bool:
        """Re-read the catalog words; True when the interpreter got new ones."""
        if not self._lock.acquire(blocking=force):
            return False  # another thread is refreshing
        try:
            self._checked = time.monotonic()
            with self.db.uow() as uow:
                words = catalog.vocabulary(uow)
            fingerprint = hash((words.products, words.categories, words.specs))
            if fingerprint == self._fingerprint and not force:
                return False
            self.inner.update_vocabulary(products=words.products, categories=words.categories, specs=words.specs)
            self._parses = {}
            self._fingerprint = fingerprint
            return True
        except Exception:  # a vocabulary refresh must never cost a reply
            log.exception("could not refresh the NLU vocabulary from the catalog")
            return False
        finally:
            self._lock.release()
