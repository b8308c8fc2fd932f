"""Subscribe (with the privacy notice and referral scene), help, greetings, thanks, goodbye."""

from __future__ import annotations

import logging

from bot import texts
from bot.dialogue.context import Msg, Turn
from bot.dialogue.router import router
from bot.dialogue.state import DialogState
from bot.messages import EmptyReply, TextReply

log = logging.getLogger("bot.dialogue")


def _remember_scene(msg: Msg) -> None:
    scene = msg.inbound.scene
    if not scene:
        return
    try:
        msg.ctx.on_referral_scene(msg.openid, scene)
    except Exception:  # the welcome must go out even if the referral hook fails
        log.exception("referral hook failed for scene %r", scene)


@router.event("subscribe")
def subscribe(state: DialogState, msg: Msg) -> Turn:
    _remember_scene(msg)
    return Turn(DialogState(), TextReply(texts.WELCOME.format(shop=msg.ctx.shop_name)))


@router.event("scan")
def scan(state: DialogState, msg: Msg) -> Turn:
    """An existing follower scanned a QR code: remember the scene, say hello briefly."""
    _remember_scene(msg)
    return Turn(state, TextReply(texts.GREET.format(shop=msg.ctx.shop_name)))


@router.event("unsubscribe")
def unsubscribe(state: DialogState, msg: Msg) -> Turn:
    return Turn(DialogState(), EmptyReply())


@router.intent("help")
@router.keyword("帮助", "幫助", "help", "菜单", "功能", "怎么用", "?", "？")
def show_help(state: DialogState, msg: Msg) -> Turn:
    return Turn(state.settled(), TextReply(texts.HELP))


@router.intent("greet")
@router.keyword("你好", "您好", "hi", "hello", "在吗", "在么", "哈喽")
def greet(state: DialogState, msg: Msg) -> Turn:
    """「你好」; 「你好 我要买点水果」 carries a request too: answer that instead."""
    p = msg.nlu
    if msg.inbound.kind == "text" and (p.value("product") or p.value("category")):
        from bot.dialogue.handlers.browse import search  # late: browse registers after welcome

        return search(state, msg)
    return Turn(state, TextReply(texts.GREET.format(shop=msg.ctx.shop_name)))


@router.intent("thanks")
@router.keyword("谢谢", "多谢", "谢了", "thanks", "thx")
def thanks(state: DialogState, msg: Msg) -> Turn:
    return Turn(state, TextReply(texts.THANKS))


@router.intent("goodbye")
@router.keyword("再见", "拜拜", "bye", "88")
def goodbye(state: DialogState, msg: Msg) -> Turn:
    return Turn(state.settled(), TextReply(texts.GOODBYE))


@router.intent("affirm", "deny")
def acknowledge(state: DialogState, msg: Msg) -> Turn:
    """A yes/no with no open question (e.g. after the question expired)."""
    return Turn(state, TextReply(texts.ACK))
