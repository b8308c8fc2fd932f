"""Short answers to a question we asked: yes, no, never mind.  Exact words first; the NLU's
affirm/deny only when the words are not conclusive."""

from __future__ import annotations

from bot.dialogue.context import Msg
from bot.dialogue.router import keyword_key

YES = frozenset(map(keyword_key, (
    "确认", "确定", "是", "是的", "对", "对的", "好", "好的", "好滴", "行", "可以", "嗯", "嗯嗯", "同意", "ok", "okay",
    "yes", "y", "没问题", "就这样", "下单", "确认下单", "提交", "确认取消", "要", "当然", "确認", "確認", "確定",
)))
NO = frozenset(map(keyword_key, (
    "不", "不要", "不用", "不了", "不同意", "否", "no", "n", "算了", "先不", "先不了", "不用了", "不要了", "再想想",
)))
ESCAPE = frozenset(map(keyword_key, ("取消", "退出", "算了", "不买了", "结束", "返回")))
CHANGE = frozenset(map(keyword_key, ("修改", "修改地址", "改地址", "换地址", "换个地址", "重新填", "新地址", "改一下")))


def is_yes(msg: Msg) -> bool:
    key = keyword_key(msg.text)
    if key in YES:
        return True
    if key in NO or key in ESCAPE or len(key) > 8:
        return False
    return msg.nlu.intent == "affirm" and msg.nlu.confidence >= msg.ctx.interpreter.threshold


def is_no(msg: Msg) -> bool:
    key = keyword_key(msg.text)
    if key in NO or key in ESCAPE:
        return True
    if key in YES or len(key) > 8:
        return False
    return msg.nlu.intent == "deny" and msg.nlu.confidence >= msg.ctx.interpreter.threshold


def is_escape(msg: Msg) -> bool:
    return keyword_key(msg.text) in ESCAPE


def is_change(msg: Msg) -> bool:
    return keyword_key(msg.text) in CHANGE
