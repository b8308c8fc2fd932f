"""Share material on request: posters (product, shop, event), promo copy and the promo video.

「给我生成第一个商品的海报」 resolves 第一个 against the last list shown (or a named
product, or the one in focus); no product mentioned → the shop poster (「我的推广码」).
Posters and videos are slow: the reply says 「海报生成中…」 now and the desk queues
the work; the image (then the copy) arrives by customer-service message.  Copy is
text, so it is the passive reply itself.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import replace

from bot import texts
from bot.dialogue.context import Msg, Turn
from bot.dialogue.handlers.product import Unresolved, target_id
from bot.dialogue.router import router
from bot.dialogue.sharing import ShareKind, ShareOutcome, ShareRequest
from bot.dialogue.state import DialogState
from bot.messages import TextReply
from commerce.catalog import services as catalog

SHOP_WORDS = re.compile(r"店铺|小店|本店|商城|推广码")
EVENT_WORDS = re.compile(r"活动|特惠|促销")
VIDEO_WORDS = re.compile(r"视频")
POINTS_AT_PRODUCT = re.compile(r"这个|这款|这件|商品|产品")
TONES = ((re.compile(r"群"), "群聊"), (re.compile(r"私聊|私信|单独|好友"), "私聊"))
DEFAULT_TONE = "朋友圈"

GENERATING: dict[ShareKind, str] = {
    ShareKind.PRODUCT: texts.SHARE_POSTER_GENERATING, ShareKind.SHOP: texts.SHARE_SHOP_POSTER_GENERATING,
    ShareKind.EVENT: texts.SHARE_EVENT_POSTER_GENERATING, ShareKind.VIDEO: texts.SHARE_VIDEO_GENERATING,
}


def _mentions_product(state: DialogState, msg: Msg) -> bool:
    return (msg.nlu.value("index") is not None or bool(msg.nlu.value("product"))
            or bool(POINTS_AT_PRODUCT.search(msg.text)))


def _product_id(state: DialogState, msg: Msg) -> int:
    """The product meant (by position, name or focus), checked to be on shelf; raises Unresolved."""
    with msg.ctx.uow() as uow:
        return catalog.product_detail(uow, target_id(uow, state, msg)).id


def _request(state: DialogState, msg: Msg, kind: ShareKind, ref_id: str = "") -> Turn:
    desk = msg.ctx.share
    if desk is None:
        return Turn(state.settled(), TextReply(texts.SHARE_UNAVAILABLE))
    req = ShareRequest(msg.openid, kind, ref_id, msg.inbound.request_id or uuid.uuid4().hex,
                       via_event=msg.inbound.kind == "event")
    outcome = desk.request(req)
    again = texts.SHARE_AGAIN_VIDEO if kind is ShareKind.VIDEO else texts.SHARE_AGAIN_POSTER
    reply = {
        ShareOutcome.QUEUED: GENERATING[kind], ShareOutcome.DELAYED: texts.SHARE_DELAYED,
        ShareOutcome.JOIN_FIRST: texts.SHARE_JOIN_FIRST, ShareOutcome.NOT_SHAREABLE: texts.SHARE_NOT_SHAREABLE,
        ShareOutcome.QUOTA_EXHAUSTED: texts.SHARE_QUOTA_EXHAUSTED.format(again=again),
    }[outcome]
    new = replace(state.settled(), focus=int(ref_id)) if ref_id else state.settled()
    return Turn(new, TextReply(reply))


def _for_product(state: DialogState, msg: Msg, kind: ShareKind, what: str) -> Turn:
    try:
        product_id = _product_id(state, msg)
    except Unresolved as why:
        no_hint = why.reply in (texts.WHICH_PRODUCT, texts.NO_LIST)
        return Turn(state, TextReply(texts.SHARE_WHICH_PRODUCT.format(what=what) if no_hint else why.reply))
    return _request(state, msg, kind, str(product_id))


@router.intent("get_poster")
def get_poster(state: DialogState, msg: Msg) -> Turn:
    """「第一个的海报」→ product poster; 「店铺海报」「我的推广码」 → shop; 「活动海报」 → event; 「…视频」 → video."""
    text = msg.text
    if VIDEO_WORDS.search(text):
        return promo_video(state, msg)
    if EVENT_WORDS.search(text):
        return _request(state, msg, ShareKind.EVENT)
    if SHOP_WORDS.search(text) or not text or not _mentions_product(state, msg):
        return _request(state, msg, ShareKind.SHOP)
    return _for_product(state, msg, ShareKind.PRODUCT, texts.SHARE_AGAIN_POSTER)


@router.keyword("店铺海报", "店铺推广图", "店铺推广海报")
def shop_poster(state: DialogState, msg: Msg) -> Turn:
    return _request(state, msg, ShareKind.SHOP)


@router.keyword("活动海报", "活动推广图")
def event_poster(state: DialogState, msg: Msg) -> Turn:
    return _request(state, msg, ShareKind.EVENT)


@router.keyword("要视频", "推广视频", "营销视频", "宣传视频")
def promo_video(state: DialogState, msg: Msg) -> Turn:
    return _for_product(state, msg, ShareKind.VIDEO, texts.SHARE_WHAT_VIDEO)


@router.intent("get_promo_copy")
@router.keyword("文案", "推广文案", "朋友圈文案")
def promo_copy(state: DialogState, msg: Msg) -> Turn:
    """Copy is ready at once: the passive reply carries it (with the distributor's short link)."""
    desk = msg.ctx.share
    if desk is None:
        return Turn(state.settled(), TextReply(texts.SHARE_UNAVAILABLE))
    try:
        product_id = _product_id(state, msg)
    except Unresolved as why:
        no_hint = why.reply in (texts.WHICH_PRODUCT, texts.NO_LIST)
        return Turn(state, TextReply(texts.SHARE_WHICH_PRODUCT.format(what=texts.SHARE_WHAT_COPY)
                                     if no_hint else why.reply))
    tone = next((name for pattern, name in TONES if pattern.search(msg.text)), DEFAULT_TONE)
    result = desk.promo_copy(msg.openid, product_id, tone, msg.inbound.create_time)
    new = replace(state.settled(), focus=product_id)
    if result.outcome is ShareOutcome.QUEUED:
        return Turn(new, TextReply(texts.SHARE_COPY_HEAD.format(tone=tone, text=result.text)))
    if result.banned_words:
        return Turn(new, TextReply(texts.SHARE_COPY_FORBIDDEN.format(words="、".join(result.banned_words))))
    simple = {ShareOutcome.JOIN_FIRST: texts.SHARE_JOIN_FIRST, ShareOutcome.DELAYED: texts.SHARE_DELAYED}
    return Turn(new, TextReply(simple.get(result.outcome, texts.SHARE_NOT_SHAREABLE)))
