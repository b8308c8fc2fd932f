"""After-sale chat: 我要退款 / 申请退货 / 不想要了 / 第一个商品退款 → what the rules allow, a
confirmation, then the request (`commerce.aftersale`).  Before shipping the refund starts at once;
afterwards a no-reason return goes to the merchant; refusals explain why and offer 转人工.

The composition root hands in the outside world once with `configure(AfterSalePorts(...))`:
the payment gateway (refunds) and the courier tracker (logistics.py reads it too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from bot import texts
from bot.dialogue.answers import is_no, is_yes
from bot.dialogue.context import Msg, Turn
from bot.dialogue.refs import bare_ordinal, pick
from bot.dialogue.router import router
from bot.dialogue.state import DialogState, Waiting
from bot.messages import TextReply
from commerce.aftersale import rules
from commerce.aftersale import services as aftersale
from commerce.aftersale.errors import NothingToRefund, NotPaidYet, NotReturnable, ReturnWindowClosed
from commerce.aftersale.states import AfterSaleKind
from commerce.clock import CHINA_TZ
from commerce.logistics.port import CourierTracker
from commerce.orders import services as orders
from commerce.orders.states import OrderStatus
from commerce.orders.views import OrderView
from nlu.numerals import CN_CHARS, parse_int

LINE_REF = re.compile(rf"第\s*([0-9]{{1,2}}|[{CN_CHARS}]{{1,3}})\s*(?:个|件|款|样)?\s*商品")
ORDER_NO = re.compile(r"SY\s?\d{6,20}", re.I)
CANDIDATES = frozenset({OrderStatus.PAID, OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.DELIVERED,
                        OrderStatus.COMPLETED})
LISTED = 5


@dataclass(frozen=True)
class AfterSalePorts:
    gateway: Any = None  # commerce.payments.port.PaymentGateway (None: refunds go to a human)
    courier: CourierTracker | None = None  # None: tracking shows what the pushes told us
    after_sale_days: int = rules.NO_REASON_RETURN_DAYS


_ports = [AfterSalePorts()]


def configure(ports: AfterSalePorts) -> None:
    _ports[0] = ports


def ports() -> AfterSalePorts:
    return _ports[0]


def refusal_text(err: Exception) -> str:
    """Why the rules said no, in words (and what to do instead)."""
    if isinstance(err, ReturnWindowClosed):
        date = err.deadline.astimezone(CHINA_TZ).strftime("%m月%d日 %H:%M")
        return texts.RETURN_WINDOW_CLOSED.format(order_no=err.order_no, date=date)
    if isinstance(err, NotReturnable):
        return texts.NOT_RETURNABLE.format(names="、".join(err.names))
    if isinstance(err, NotPaidYet):
        return texts.REFUND_UNPAID.format(order_no=err.order_no)
    assert isinstance(err, NothingToRefund)
    in_progress = err.status in (OrderStatus.REFUNDING, OrderStatus.RETURNING, OrderStatus.RETURN_REQUESTED)
    template = texts.REFUND_IN_PROGRESS if in_progress else texts.REFUND_CLOSED
    return template.format(order_no=err.order_no, status=texts.status_text(err.status))


def _line_ref(text: str) -> int | None:
    m = LINE_REF.search(text)
    return parse_int(m.group(1)) if m else None


def _offer(state: DialogState, msg: Msg, order_no: str, line: int | None, reason: str) -> Turn:
    with msg.ctx.uow() as uow:
        order = orders.get_order(uow, order_no, openid=msg.openid)
        existing = aftersale.open_request(uow, order.order_no)
        if existing is not None:
            reply = texts.AFTER_SALE_EXISTS.format(order_no=order.order_no, id=existing.id,
                                                   status=texts.AFTER_SALE_STATUS.get(existing.status, ""))
            return Turn(state.settled(), TextReply(reply))
        if line is not None and not 1 <= line <= len(order.lines):
            return Turn(state.settled(), TextReply(texts.REFUND_BAD_LINE.format(n=len(order.lines))))
        line_ids = (order.lines[line - 1].id,) if line is not None else None
        try:
            plan = aftersale.quote(uow, order.order_no, openid=msg.openid, line_ids=line_ids,
                                   window_days=ports().after_sale_days)
        except (NothingToRefund, NotPaidYet, NotReturnable, ReturnWindowClosed) as err:
            return Turn(state.settled(), TextReply(refusal_text(err)))
    ask = _terms(order, plan)
    data = {"order_no": order.order_no, "line_ids": list(line_ids or ()), "reason": reason[:80],
            "evidence": msg.text[:500]}
    return Turn(replace(state, orders=state.orders or (order.order_no,)).ask(Waiting.REFUND_OK, **data),
                TextReply(ask))


def _terms(order: OrderView, plan: rules.Plan) -> str:
    what = texts.REFUND_WHAT_ALL if plan.whole_order else texts.REFUND_WHAT_LINES.format(names="、".join(plan.names))
    if plan.kind is AfterSaleKind.REFUND:
        return texts.ASK_REFUND_OK.format(order_no=order.order_no, what=what, amount=texts.yuan(plan.amount_fen))
    deadline = texts.RETURN_DEADLINE.format(date=plan.deadline.astimezone(CHINA_TZ).strftime("%m月%d日")) \
        if plan.deadline else ""
    return texts.ASK_RETURN_OK.format(order_no=order.order_no, what=what, deadline=deadline,
                                      amount=texts.yuan(plan.amount_fen))


def _candidates(msg: Msg) -> list[OrderView]:
    with msg.ctx.uow() as uow:
        recent = orders.list_orders(uow, msg.openid, limit=20)
    return [o for o in recent if o.status in CANDIDATES][:LISTED]


def _ask_which(state: DialogState, listed: list[OrderView], line: int | None, reason: str) -> Turn:
    lines = [texts.REFUND_PICK_HEAD]
    lines += [texts.ORDER_LINE.format(n=n, order_no=o.order_no, status=texts.status_text(o.status),
                                      payable=texts.yuan(o.payable_fen),
                                      summary="、".join(f"{x.name}×{x.quantity}" for x in o.lines[:3]))
              for n, o in enumerate(listed, 1)]
    lines.append(texts.REFUND_PICK_TAIL)
    new = replace(state, orders=tuple(o.order_no for o in listed)).ask(Waiting.REFUND_PICK, line=line, reason=reason)
    return Turn(new, TextReply("\n".join(lines)))


@router.intent("refund_request")
@router.keyword("我要退款", "申请退款", "退款", "我要退货", "申请退货", "退货", "退货退款", "不想要了",
                "申请售后", "售后", "怎么退货", "怎么退款")  # 「能退吗」: presale.return_policy decides
def refund_request(state: DialogState, msg: Msg) -> Turn:
    if ports().gateway is None:
        return Turn(state.settled(), TextReply(texts.REFUND_BY_HUMAN))
    line, reason = _line_ref(msg.text), str(msg.nlu.value("reason") or texts.AFTER_SALE_REASON)
    found = ORDER_NO.search(msg.text)
    order_no = str(msg.nlu.value("order_no") or (found.group() if found else "")).replace(" ", "").upper()
    index = msg.nlu.value("index")
    if not order_no and line is None and isinstance(index, int) and state.orders:
        order_no = pick(state.orders, index) or ""
    if order_no:
        return _offer(state, msg, order_no, line, reason)
    listed = _candidates(msg)
    if not listed:
        return Turn(state.settled(), TextReply(texts.REFUND_NONE))
    if len(listed) == 1:
        return _offer(state, msg, listed[0].order_no, line, reason)
    return _ask_which(state, listed, line, reason)


@router.pending(Waiting.REFUND_PICK)
def pick_order(state: DialogState, msg: Msg) -> Turn | None:
    assert state.pending is not None
    index = bare_ordinal(msg.text)
    order_no = pick(state.orders, index) if index is not None else None
    if order_no is None:
        return None
    data = state.pending.data
    line = data.get("line")
    return _offer(state.settled(), msg, order_no, int(line) if line else None, str(data.get("reason", "")))


@router.pending(Waiting.REFUND_OK)
def confirm(state: DialogState, msg: Msg) -> Turn | None:
    assert state.pending is not None
    if is_no(msg):
        return Turn(state.settled(), TextReply(texts.AFTER_SALE_KEPT))
    if not is_yes(msg):
        return None
    data = state.pending.data
    line_ids = tuple(int(i) for i in data.get("line_ids", ())) or None
    try:
        with msg.ctx.uow() as uow:
            req = aftersale.request_after_sale(
                uow, ports().gateway, str(data["order_no"]), openid=msg.openid, line_ids=line_ids,
                reason=str(data.get("reason", "")), evidence=str(data.get("evidence", "")),
                window_days=ports().after_sale_days)
            uow.commit()
    except (NothingToRefund, NotPaidYet, NotReturnable, ReturnWindowClosed) as err:
        return Turn(state.settled(), TextReply(refusal_text(err)))
    template = texts.REFUND_STARTED if req.kind is AfterSaleKind.REFUND else texts.RETURN_REQUESTED
    return Turn(state.settled(), TextReply(template.format(amount=texts.yuan(req.amount_fen), id=req.id)))


QUALITY = re.compile(r"质量(?:有)?问题|质量(?:太)?差|坏了|坏的|破了|破损|碎了|烂了|坏果|发错|少发|漏发|过期|变质|发霉|不新鲜|假货")


@router.followup("quality_complaint")
def quality_complaint(state: DialogState, msg: Msg) -> Turn | None:
    """「收到了 质量有问题」「橙子烂了好几个」: an apology and the way to a person (photos) or a refund —
    quality problems are for a human, not the 7-day rule."""
    if not QUALITY.search(msg.plain) or ASKS_FOR_REFUND.search(msg.text):
        return None
    return Turn(state.settled(), TextReply(texts.QUALITY_ISSUE))


ASKS_FOR_REFUND = re.compile(r"退款|退货|售后|退钱|不想要了")


@router.followup("refund_words")
def refund_words(state: DialogState, msg: Msg) -> Turn | None:
    """「第二个商品退款」「SY2026… 我要退款」: refund words win over whatever else the text names."""
    if not ASKS_FOR_REFUND.search(msg.text) or "取消" in msg.text:
        return None
    return refund_request(state, msg)
