"""The port the share handlers (posters, promo copy, promo video) talk to.

A chat request for share material must answer within WeChat's passive-reply
limit, so the slow part (render, upload, send) is queued; the desk says at
once what the user should be told.  The composition root implements it
(`siyu/share_desk.py`) and puts it in `Ctx.share`; tests pass a small fake.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class ShareKind(StrEnum):
    PRODUCT = "product"  # product poster (ref: product id)
    SHOP = "shop"  # shop poster with best sellers
    EVENT = "event"  # event / sale poster
    VIDEO = "video"  # promo video of a product (ref: product id)


class ShareOutcome(StrEnum):
    QUEUED = "queued"  # the image/video follows by customer-service message in seconds
    DELAYED = "delayed"  # the worker queue is unreachable: held, delivered when it is back
    JOIN_FIRST = "join_first"  # share material carries a referral code: become a distributor first
    QUOTA_EXHAUSTED = "quota_exhausted"  # WeChat will not accept another CS message to this user now
    NOT_SHAREABLE = "not_shareable"  # the product cannot be shared (off shelf, forbidden words, …)


@dataclass(frozen=True)
class ShareRequest:
    openid: str
    kind: ShareKind
    ref_id: str = ""  # product id for PRODUCT / VIDEO
    request_id: str = ""  # idempotency: one delivery per request, however often the task runs
    via_event: bool = False  # a menu click (3 CS messages / minute) rather than a typed message


@dataclass(frozen=True)
class CopyResult:
    outcome: ShareOutcome  # QUEUED here means "text is ready"
    text: str = ""
    banned_words: tuple[str, ...] = ()  # when the merchant's product facts break the advertising law


class ShareDesk(Protocol):
    def request(self, req: ShareRequest) -> ShareOutcome: ...

    def promo_copy(self, openid: str, product_id: int, tone: str, variant: int) -> CopyResult: ...
