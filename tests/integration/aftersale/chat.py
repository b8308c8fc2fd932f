"""A chat with the real dialogue engine, the after-sale ports configured for the test."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bot.dialogue.handlers import aftersale as chat_ports
from bot.messages import Reply, TextReply
from commerce.db import Database
from tests.integration.dialogue.conftest import Chat, make_dialogue


@contextmanager
def chat_with(db: Database, *, gateway: Any = None, courier: Any = None, openid: str = "o-buyer") -> Iterator[Chat]:
    chat_ports.configure(chat_ports.AfterSalePorts(gateway=gateway, courier=courier))
    try:
        dialogue, _ = make_dialogue(db)
        yield Chat(dialogue, openid)
    finally:
        chat_ports.configure(chat_ports.AfterSalePorts())


def text_of(reply: Reply) -> str:
    assert isinstance(reply, TextReply), reply
    return reply.content
