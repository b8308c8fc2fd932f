"""Wiring the dialogue: NLU (with live catalog vocabulary) + KV state + shop context → `Dialogue`.

`build_dialogue(c)` is what `Container.dialogue` returns; the WeChat edge calls
`c.dialogue.respond(inbound)`.  Route providers for the product page and media
files live here too (`dialogue_routes`).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from starlette.routing import BaseRoute

from bot.dialogue import Ctx, Dialogue, StateStore
from bot.dialogue.context import ReferralHook
from bot.dialogue.vocabulary import CatalogVocabulary
from commerce import cooperative
from nlu.types import Interpreter, Parse
from siyu.container import Container

log = logging.getLogger("siyu.dialogue")


def load_nlu(c: Container) -> Interpreter:
    """The configured interpreter; the keyword interpreter (with a warning) if the NLU cannot load."""
    s = c.settings.nlu
    try:
        from nlu import load_interpreter

        model_path = s.model_path or str(c.data_dir / "nlu" / "model.pkl")
        Path(model_path).parent.mkdir(parents=True, exist_ok=True)
        interpreter = load_interpreter(backend=s.backend, model_path=model_path, rasa_url=s.rasa_url,
                                       rasa_timeout=s.rasa_timeout_seconds,
                                       confidence_threshold=s.confidence_threshold)
        return _Remote(interpreter) if s.backend == "rasa" else interpreter
    except Exception:
        log.warning("NLU unavailable; the bot answers with keyword rules (run `siyu nlu train`)", exc_info=True)
        from bot.dialogue.keyword_nlu import KeywordInterpreter

        fallback = KeywordInterpreter()
        fallback.threshold = s.confidence_threshold
        return fallback


class _Remote:
    """An interpreter behind HTTP: parsed in a worker thread when the dialogue runs on the event loop."""

    def __init__(self, inner: Interpreter) -> None:
        self.inner = inner

    @property
    def threshold(self) -> float:
        return self.inner.threshold

    def parse(self, text: str) -> Parse:
        return cooperative.offload(self.inner.parse, text)

    def update_vocabulary(self, **words: Any) -> None:
        self.inner.update_vocabulary(**words)


def _log_referral(openid: str, scene: str) -> None:
    log.info("referral scene %r seen (no distribution hook wired yet)", scene)


def build_dialogue(c: Container, *, on_referral_scene: ReferralHook | None = None) -> Dialogue:
    interpreter = CatalogVocabulary(load_nlu(c), c.db)
    interpreter.refresh(force=True)
    hook = on_referral_scene or getattr(c, "on_referral_scene", None) or _log_referral
    s = c.settings
    ctx = Ctx(db=c.db, interpreter=interpreter, public_base_url=s.public_base_url, shop_name=s.shop.name,
              service_phone=s.shop.service_phone, on_referral_scene=hook, share=c.share_desk,
              merchants=frozenset(m.openid for m in s.merchants))
    return Dialogue(ctx, StateStore(c.kv))


def dialogue_routes(c: Container) -> list[BaseRoute]:
    """GET /p/{product_id} (mobile product page) and GET /media/{path} (catalog images, posters)."""
    from bot.web.media import media_routes
    from bot.web.product import product_routes

    return [*product_routes(c.db, shop_name=c.settings.shop.name, public_base_url=c.settings.public_base_url,
                            link_oauth=c.distribution.link_oauth()),
            *media_routes(c.data_dir / "media")]
