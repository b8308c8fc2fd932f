"""Merchant commands typed by a shopper: 「下架 脐橙」「发货 SY2026…」「改价 T恤 59」 are shop
administration, not a search or an order question — say so politely instead of guessing."""

from __future__ import annotations

import re

from bot import texts
from bot.dialogue.context import Msg, Turn
from bot.dialogue.router import router
from bot.dialogue.state import DialogState
from bot.messages import TextReply

COMMAND = re.compile(
    r"^\s*[/#]?\s*(?P<verb>下架|上架|发货|改价|调价|修改价格|改库存|加库存|补库存|补货|设置库存|设库存|库存调整|退款审核|审核退款|"
    r"同意退款|拒绝退款|审核|群发|导出订单|导出|核销|改运费|设置运费|新增商品|上新|批量发货|打款|结算佣金)"
    r"(?P<rest>.*)$"
)
NOT_A_COMMAND = re.compile(r"^(?:了|吗|么|没|呢|啦|的|时间|多久|快|慢|地|速度|后|前|什么|怎么|哪)")
QUESTION_END = re.compile(r"(?:吗|么|没|呢|嘛|没有|[?？])$")


@router.followup("merchant_command")
def merchant_command(state: DialogState, msg: Msg) -> Turn | None:
    """A merchant verb at the start, bare or followed by its object (「发货」「下架 脐橙」); not
    「发货了吗」「发货快吗」, which are shoppers' questions answered elsewhere."""
    match = COMMAND.match(msg.plain)
    rest = match.group("rest").strip() if match else ""
    if match is None or NOT_A_COMMAND.match(rest) or QUESTION_END.search(rest):
        return None
    verb = match.group("verb")
    template = texts.MERCHANT_USE_CLI if msg.openid in msg.ctx.merchants else texts.MERCHANT_ONLY
    return Turn(state, TextReply(template.format(command=verb)))
