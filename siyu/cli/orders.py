"""`siyu orders ship|deliver` and `siyu aftersale list|approve|reject|received|retry` — the merchant's side
of shipping and after-sale.  Decisions are sent to the buyer by customer-service message (best effort)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer

from commerce.money import fen_to_yuan_str

orders_app = typer.Typer(help="订单 / orders: ship with a tracking number, mark delivered", no_args_is_help=True)
aftersale_app = typer.Typer(help="售后 / after-sale: list, approve, reject, goods received", no_args_is_help=True)
ACTOR = "cli"


def _boot() -> Any:
    from siyu.container import boot

    return boot()


def _refused(exc: Exception) -> typer.Exit:
    typer.echo(f"refused / 未执行: {exc}", err=True)
    return typer.Exit(1)


@orders_app.command("ship")
def ship_cmd(order_no: str, carrier: str = typer.Option(..., help="courier code, e.g. yuantong, shunfeng, zhongtong"),
             tracking: str = typer.Option(..., help="tracking number / 快递单号")) -> None:
    """Ship a paid order and subscribe to the courier's pushes / 发货."""
    from commerce.errors import CommerceError
    from siyu.logistics import ship

    c = _boot()
    try:
        view, subscribed = ship(c, order_no.strip().upper(), carrier=carrier, tracking_no=tracking, actor=ACTOR)
    except CommerceError as exc:
        raise _refused(exc) from None
    note = "courier pushes subscribed / 已订阅物流推送" if subscribed else \
        "courier subscription failed, tracking is queried on demand / 订阅失败，查询时更新"
    typer.echo(f"{view.order_no}: shipped / 已发货 {view.carrier} {view.tracking_no} ({note})")


@orders_app.command("deliver")
def deliver_cmd(order_no: str) -> None:
    """Mark an order delivered by hand (no courier push) / 手动标记签收: the after-sale window starts."""
    from commerce.errors import CommerceError
    from commerce.orders import services as orders

    c = _boot()
    try:
        with c.db.uow() as uow:
            view = orders.mark_delivered(uow, order_no.strip().upper())
            uow.commit()
    except CommerceError as exc:
        raise _refused(exc) from None
    typer.echo(f"{view.order_no}: {view.status}")


@aftersale_app.command("list")
def list_cmd(status: str = typer.Option("", help="requested | awaiting_return | refunding | refund_failed | …")) -> None:
    """After-sale requests, newest first / 售后列表."""
    from commerce.aftersale import outcomes
    from commerce.aftersale import services as aftersale
    from commerce.aftersale.states import AfterSaleStatus

    c = _boot()
    try:
        wanted = AfterSaleStatus(status) if status else None
    except ValueError:
        raise _refused(ValueError(f"unknown status {status!r}")) from None
    with c.db.uow() as uow:
        outcomes.sync_refunds(uow)
        uow.commit()
        rows = aftersale.list_requests(uow, status=wanted)
    for r in rows:
        scope = "whole order" if r.whole_order else f"lines {','.join(str(i) for i, _ in r.lines)}"
        typer.echo(f"{r.id}\t{r.order_no}\t{r.kind}\t{r.status}\t¥{fen_to_yuan_str(r.amount_fen)}\t{scope}\t"
                   f"{r.reason}\t{r.evidence[:40]}")
    if not rows:
        typer.echo("no after-sale requests / 暂无售后申请")


def _decide(request_id: int, action: Callable[[Any, Any], Any]) -> None:
    from commerce.errors import CommerceError
    from commerce.payments.port import PaymentGatewayError
    from siyu.logistics import notify_after_sale

    c = _boot()
    try:
        with c.db.uow() as uow:
            view = action(c, uow)
            uow.commit()
    except (CommerceError, PaymentGatewayError) as exc:
        raise _refused(exc) from None
    sent = notify_after_sale(c, view)
    typer.echo(f"{view.id}: {view.status} (order {view.order_no}){'' if sent else ' — buyer not notified / 未通知买家'}")


@aftersale_app.command("approve")
def approve_cmd(request_id: int, note: str = typer.Option("", help="sent to the buyer, e.g. the return address")) -> None:
    """Approve: a return then waits for the goods, a refund starts / 同意售后."""
    from commerce.aftersale import services as aftersale

    _decide(request_id, lambda c, uow: aftersale.approve(uow, c.pay_gateway, request_id, actor=ACTOR, note=note))


@aftersale_app.command("reject")
def reject_cmd(request_id: int, reason: str = typer.Option(..., help="sent to the buyer / 拒绝原因")) -> None:
    """Reject a request / 拒绝售后."""
    from commerce.aftersale import services as aftersale

    _decide(request_id, lambda c, uow: aftersale.reject(uow, request_id, actor=ACTOR, reason=reason))


@aftersale_app.command("received")
def received_cmd(request_id: int) -> None:
    """The returned goods arrived: refund them / 已收到退货，退款."""
    from commerce.aftersale import services as aftersale

    _decide(request_id, lambda c, uow: aftersale.mark_received(uow, c.pay_gateway, request_id, actor=ACTOR))


@aftersale_app.command("retry")
def retry_cmd(request_id: int) -> None:
    """Ask for a refund again after the provider closed it / 重新发起退款."""
    from commerce.aftersale import services as aftersale

    _decide(request_id, lambda c, uow: aftersale.retry_refund(uow, c.pay_gateway, request_id))


def register(root: typer.Typer) -> None:
    root.add_typer(orders_app, name="orders")
    root.add_typer(aftersale_app, name="aftersale")
