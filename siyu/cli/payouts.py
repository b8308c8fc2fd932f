"""`siyu payout …` — list, approve, reject, process (WeChat transfer), export the bank batch, mark paid."""

from __future__ import annotations

from pathlib import Path

import typer

from commerce.money import fen_to_yuan_str

app = typer.Typer(help="提现 / payouts: approve, export bank batch, mark paid", no_args_is_help=True)
BANK_HEADER = ["payout_no", "holder_name", "card_no", "bank_name", "amount_yuan", "remark"]


def _run(fn_name: str, payout_no: str, *args: str) -> None:
    from commerce.distribution import payouts
    from commerce.errors import CommerceError
    from siyu.cli.distribution import boot_container

    c = boot_container()
    try:
        with c.db.uow() as uow:
            p = getattr(payouts, fn_name)(uow, payout_no, *args)
            state, method = p.state, p.method
            uow.commit()
    except CommerceError as exc:
        typer.echo(f"refused / 未执行: {exc}", err=True)
        raise typer.Exit(1) from None
    if fn_name == "approve_payout" and method == "wechat":
        c.distribution.process_payout(payout_no)
        with c.db.uow() as uow:
            state = payouts.find_payout(uow, payout_no).state
    typer.echo(f"{payout_no}: {state}")


@app.command("list")
def list_cmd(state: str = typer.Option("", help="requested | approved | processing | paid | failed")) -> None:
    """List payouts / 提现列表."""
    from sqlalchemy import select

    from commerce.distribution.payout_model import Payout
    from siyu.cli.distribution import boot_container

    c = boot_container()
    with c.db.uow() as uow:
        stmt = select(Payout).order_by(Payout.id)
        for p in uow.session.scalars(stmt.where(Payout.state == state) if state else stmt):
            typer.echo(f"{p.payout_no}\t{p.method}\t¥{fen_to_yuan_str(p.amount_fen)}\t{p.state}\t{p.reason}")


@app.command("approve")
def approve_cmd(payout_no: str) -> None:
    """Approve a payout; a WeChat one is sent to transfer-bills at once / 审核通过."""
    _run("approve_payout", payout_no, "cli")


@app.command("reject")
def reject_cmd(payout_no: str, reason: str = typer.Option("rejected by merchant")) -> None:
    """Reject: the money goes back to the distributor's balance / 驳回（退回余额）."""
    _run("reject_payout", payout_no, reason)


@app.command("mark-paid")
def mark_paid_cmd(payout_no: str) -> None:
    """Mark an exported bank payout paid / 标记银行打款完成."""
    _run("mark_paid", payout_no)


@app.command("export")
def export_cmd(out: Path = typer.Option(..., "--out", help="FILE.xlsx")) -> None:  # noqa: B008
    """Export approved bank payouts to a batch file (they move to processing) / 导出银行批量打款文件."""
    from openpyxl import Workbook

    from commerce.distribution import payouts
    from siyu.cli.distribution import boot_container

    c = boot_container()
    with c.db.uow() as uow:
        rows = payouts.bank_batch(uow)
        wb = Workbook()
        ws = wb.active
        ws.title = "bank-batch"
        ws.append(BANK_HEADER)
        for p, account in rows:
            ws.append([p.payout_no, account.holder_name, account.card_no, account.bank_name,
                       fen_to_yuan_str(p.net_fen), "推广佣金"])
        out.parent.mkdir(parents=True, exist_ok=True)
        wb.save(out)
        uow.commit()
    typer.echo(f"exported {len(rows)} bank payouts to {out} / 已导出 {len(rows)} 笔")


@app.command("retry")
def retry_cmd() -> None:
    """Send approved WeChat payouts whose transfer call failed again / 重试失败的微信转账."""
    from siyu.container import boot
    from siyu.jobs import retry_transfers

    typer.echo(f"retried / 已重试: {retry_transfers(boot())}")
