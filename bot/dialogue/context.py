"""What a handler receives (`Msg`: the inbound message, its lazy NLU parse, the shop context)
and what it returns (`Turn`: the new state and the reply)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import NamedTuple

from bot.dialogue.sharing import ShareDesk
from bot.dialogue.state import DialogState
from bot.messages import Inbound, Reply
from bot.web.media import media_url
from commerce.clock import now
from commerce.db import Database, UnitOfWork
from nlu.normalize import normalize, truncate
from nlu.types import Interpreter, Parse

ReferralHook = Callable[[str, str], None]


def _no_referral(openid: str, scene: str) -> None:
    return None


@dataclass(frozen=True)
class Ctx:
    """Everything handlers need from the outside, built once per process by `siyu/dialogue.py`."""

    db: Database
    interpreter: Interpreter
    public_base_url: str = "http://127.0.0.1:8000"
    shop_name: str = "思语优选"
    service_phone: str = ""
    on_referral_scene: ReferralHook = _no_referral
    share: ShareDesk | None = None  # posters, promo copy and video (None: sharing not wired)
    merchants: frozenset[str] = frozenset()  # whitelisted merchant openids (SIYU_MERCHANTS)
    clock: Callable[[], datetime] = field(default=now)

    def uow(self) -> UnitOfWork:
        return self.db.uow()

    def reads(self) -> UnitOfWork:
        """A read-only unit of work: lookups that commit nothing (cheaper on PostgreSQL)."""
        return self.db.reads()

    def url(self, path: str) -> str:
        return self.public_base_url.rstrip("/") + "/" + path.lstrip("/")

    def media_url(self, image: str) -> str:
        """An image as stored in the catalog (a path under data_dir/media, or a URL) → a URL."""
        return media_url(self.public_base_url, image)


class Msg:
    """One inbound message seen by a handler.  `nlu` is parsed on first use only."""

    def __init__(self, inbound: Inbound, ctx: Ctx, parse: Parse | None = None) -> None:
        self.inbound = inbound
        self.ctx = ctx
        if parse is not None:
            self.__dict__["nlu"] = parse

    @property
    def openid(self) -> str:
        return self.inbound.openid

    @property
    def text(self) -> str:
        return self.inbound.text.strip()

    @cached_property
    def plain(self) -> str:
        """The text as rules should read it: simplified (有貨嗎 → 有货吗), half-width, lower case."""
        return normalize(truncate(self.text))

    @cached_property
    def nlu(self) -> Parse:
        return self.ctx.interpreter.parse(self.text)

    def with_parse(self, parse: Parse) -> Msg:
        return Msg(self.inbound, self.ctx, parse)


class Turn(NamedTuple):
    state: DialogState
    reply: Reply


Handler = Callable[[DialogState, Msg], Turn]
PendingHandler = Callable[[DialogState, Msg], "Turn | None"]
