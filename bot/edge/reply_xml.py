"""Our reply dataclasses → WeChat passive-reply XML (via wechatpy's reply classes).

Text is made XML-safe first: characters XML 1.0 cannot carry are dropped and a
literal `]]>` is split across two CDATA sections, so whatever the dialogue
returns, WeChat receives well-formed XML.  `EmptyReply` renders as `success`.
"""

from __future__ import annotations

import re
import time

from wechatpy import replies as wx

from bot.messages import EmptyReply, ImageReply, NewsReply, Reply, TextReply, TransferReply

SUCCESS = "success"

_NOT_XML_CHAR = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """Text that survives being put inside `<![CDATA[…]]>`."""
    return _NOT_XML_CHAR.sub("", text).replace("]]>", "]]]]><![CDATA[>")


def render_reply(reply: Reply, to_user: str, from_user: str) -> str:
    """Plaintext reply XML (`success` for EmptyReply); the caller encrypts in safe mode."""
    common = {"target": xml_safe(to_user), "source": xml_safe(from_user), "time": int(time.time())}
    if isinstance(reply, TextReply):
        return wx.TextReply(content=xml_safe(reply.content), **common).render()  # type: ignore[no-any-return]
    if isinstance(reply, NewsReply):
        article = {
            "title": xml_safe(reply.title),
            "description": xml_safe(reply.description),
            "url": xml_safe(reply.url),
            "image": xml_safe(reply.picurl),
        }
        return wx.ArticlesReply(articles=[article], **common).render()  # type: ignore[no-any-return]
    if isinstance(reply, ImageReply):
        return wx.ImageReply(media_id=xml_safe(reply.media_id), **common).render()  # type: ignore[no-any-return]
    if isinstance(reply, TransferReply):
        return _transfer(reply, common)
    if isinstance(reply, EmptyReply):
        return SUCCESS
    raise TypeError(f"not a reply: {reply!r}")


def _transfer(reply: TransferReply, common: dict[str, object]) -> str:
    xml: str = wx.TransferCustomerServiceReply(**common).render()
    if not reply.kf_account:
        return xml
    account = f"<TransInfo><KfAccount><![CDATA[{xml_safe(reply.kf_account)}]]></KfAccount></TransInfo>"
    return xml.replace("\n</xml>", "\n" + account + "\n</xml>")
