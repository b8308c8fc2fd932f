"""Personal data in chat, as the privacy notice promises: 「我的信息」 shows what we hold (masked),
「删除我的信息」 erases it and 「撤回同意」 also withdraws consent — both after a 「确认删除」."""

from __future__ import annotations

import re
from typing import Any

from bot import texts
from bot.dialogue.answers import is_escape, is_no
from bot.dialogue.context import Msg, Turn
from bot.dialogue.router import keyword_key, router
from bot.dialogue.state import DialogState, Waiting
from bot.messages import TextReply
from commerce.privacy import services as privacy

CONFIRM = frozenset(map(keyword_key, texts.ERASE_CONFIRM_WORDS))


def my_data_text(data: dict[str, Any]) -> str:
    lines = [texts.MY_DATA_HEAD]
    if data.get("phone"):
        lines.append(texts.MY_DATA_PHONE.format(phone=data["phone"]))
    if data.get("real_name"):
        lines.append(texts.MY_DATA_NAME.format(name=data["real_name"]))
    lines += [texts.MY_DATA_ADDRESS.format(name=a["receiver_name"], phone=a["phone"], address=a["address"])
              for a in data.get("addresses", ())]
    if data.get("orders"):
        lines.append(texts.MY_DATA_ORDERS.format(n=len(data["orders"])))
    d = data.get("distributor")
    if d and (d.get("real_name") or d.get("phone") or d.get("bank_accounts")):
        cards = [b["card_no"] for b in d.get("bank_accounts", ()) if b.get("active")]
        bank = texts.MY_DATA_BANK.format(card=cards[-1]) if cards else ""
        lines.append(texts.MY_DATA_DISTRIBUTOR.format(name=d.get("real_name") or "", phone=d.get("phone") or "",
                                                      bank=bank))
    if data.get("consent_at"):
        lines.append(texts.MY_DATA_CONSENT.format(date=str(data["consent_at"])[:10]))
    if len(lines) == 1:
        return texts.MY_DATA_EMPTY
    lines.append(texts.MY_DATA_TAIL)
    return "\n".join(lines)


@router.keyword("我的信息", "查看我的信息", "我的个人信息", "查看个人信息", "导出我的信息", "个人信息")
def my_data(state: DialogState, msg: Msg) -> Turn:
    with msg.ctx.uow() as uow:
        data = privacy.export_personal_data(uow, msg.openid, masked=True)
    return Turn(state.settled(), TextReply(my_data_text(data)))


@router.keyword("删除我的信息", "删除个人信息", "删除我的个人信息", "删除我的数据", "注销", "注销账号", "注销账户")
def ask_erase(state: DialogState, msg: Msg) -> Turn:
    return Turn(state.ask(Waiting.ERASE_OK, withdraw=False), TextReply(texts.ASK_ERASE_OK))


@router.keyword("撤回同意", "撤销同意", "撤回授权", "取消授权", "不同意收集")
def ask_withdraw(state: DialogState, msg: Msg) -> Turn:
    return Turn(state.ask(Waiting.ERASE_OK, withdraw=True), TextReply(texts.ASK_WITHDRAW_OK))


@router.pending(Waiting.ERASE_OK)
def confirm_erase(state: DialogState, msg: Msg) -> Turn | None:
    assert state.pending is not None
    if keyword_key(msg.text) in CONFIRM:
        return _erase(msg, withdraw=bool(state.pending.data.get("withdraw")))
    if is_no(msg) or is_escape(msg):
        return Turn(state.settled(), TextReply(texts.ERASE_KEPT))
    if keyword_key(msg.text) in {keyword_key(w) for w in ("确认", "确定", "是", "好", "好的", "同意", "删除")}:
        return Turn(state, TextReply(texts.ERASE_NEED_EXACT))  # destructive: only the exact words
    return None


def _erase(msg: Msg, *, withdraw: bool) -> Turn:
    with msg.ctx.uow() as uow:
        report = privacy.erase_personal_data(uow, msg.openid, withdraw_consent=withdraw)
        uow.commit()
    kept = texts.ERASED_KEPT.format(n=len(report.orders_kept)) if report.orders_kept else ""
    if withdraw:
        return Turn(DialogState(), TextReply(texts.CONSENT_WITHDRAWN.format(kept=kept)))
    reply = texts.ERASED.format(addresses=report.addresses_deleted, orders=report.orders_redacted, kept=kept)
    return Turn(DialogState(), TextReply(reply))  # nothing typed earlier (an address form) is kept either


ABOUT_MY_DATA = re.compile(r"(我的|个人)(信息|数据|资料)")
ERASE_WORDS = re.compile(r"删除|删掉|清除|注销")


@router.followup("my_data_words")
def my_data_words(state: DialogState, msg: Msg) -> Turn | None:
    """「帮我把我的个人信息删掉」「查看一下我的信息」: the privacy commands in other words."""
    if not ABOUT_MY_DATA.search(msg.text):
        return None
    return ask_erase(state, msg) if ERASE_WORDS.search(msg.text) else my_data(state, msg)
