"""Short answers to a question we asked: yes, no, never mind.  Exact words first; the NLU's
affirm/deny only when the words are not conclusive."""

from __future__ import annotations

import re

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


CHANGE_RECEIVER = re.compile(
    r"^(?:我要|我想|想|要|帮我|请|麻烦|可以|能|能不能|可不可以|怎么|如何)?(?:修改|更改|改|换|重新填写?|重填|更新|变更)(?:一下|下|个|一个)?(?:新的?)?"
    r"(?:收货|收件)?(?:地址|信息|人|电话|手机号?|号码|姓名|名字)"
    r"|^(?:收货|收件)?(?:地址|人|电话|手机号?|号码|姓名|名字)(?:不对|错了|写错了|填错了|有误|要改|改一下|换一下|变了)"
    r"|^(?:寄到|送到|发到)?(?:别的|另一个|另外的?|其他|新)地址"
)


def is_change(msg: Msg) -> bool:
    """「修改地址」「改一下地址」「地址填错了」「换个收货人」: the receiver is to be re-entered."""
    return keyword_key(msg.text) in CHANGE or CHANGE_RECEIVER.match(keyword_key(msg.text)) is not None
