"""What comes in (`Inbound`) and what goes out (replies), as our own frozen dataclasses.

Only `bot/edge/` turns WeChat XML into `Inbound` and replies into XML; the rest of
the bot speaks these types.  Events are normalised: `subscribe` with
`qrscene_<x>` becomes kind="event", event="subscribe", scene="<x>"; `SCAN` becomes
event="scan", scene="<x>"; `CLICK` becomes event="click", key="<menu key>".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Inbound:
    openid: str
    kind: str  # text | image | voice | video | shortvideo | location | link | event | unknown
    text: str = ""  # Content, or voice Recognition
    event: str = ""  # subscribe | unsubscribe | scan | click | view | location | …
    key: str = ""  # menu key for click events
    scene: str = ""  # QR scene (subscribe without the qrscene_ prefix, or SCAN)
    msg_id: str = ""
    create_time: int = 0
    request_id: str = ""
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class TextReply:
    content: str


@dataclass(frozen=True)
class NewsReply:
    """One article (WeChat allows only one per passive reply since 2018)."""

    title: str
    description: str
    url: str
    picurl: str = ""


@dataclass(frozen=True)
class ImageReply:
    media_id: str


@dataclass(frozen=True)
class TransferReply:
    """Hand the conversation to the customer-service (human agent) system."""

    kf_account: str = ""


@dataclass(frozen=True)
class EmptyReply:
    """Answer `success`: nothing shown now (result follows by customer-service message)."""


Reply = TextReply | NewsReply | ImageReply | TransferReply | EmptyReply
