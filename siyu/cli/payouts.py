"""`siyu payout …` — list, approve, reject, send WeChat transfers, reconcile, export the bank batch, mark paid.

Approving only changes the payout's state; the WeChat-change transfer is sent by the worker
(`worker.run_job process_payout`), or in this process when tasks run eagerly (the demo: through
the running demo's sandbox, see `siyu.demo`).  Payouts that finish here (reject, mark-paid,
reconcile) send the distributor their chat notice like the callback does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from commerce.money import fen_to_yuan_str

app = typer.Typer(help="提现 / payouts: list, approve or reject, send WeChat transfers, reconcile lost callbacks, "
                       "bank batch export and mark-paid", no_args_is_help=True)
BANK_HEADER = ["payout_no", "holder_name", "card_no", "bank_name", "amount_yuan", "remark"]


def _container() -> Any:
    """The process's container, with payout notices on (they go out after each commit)."""
    from siyu import notifications
    from siyu.cli.distribution import boot_container

    c = boot_container()
    notifications.register(c)
    return c


def _run(fn_name: str, payout_no: str, *args: str) -> tuple[Any, str, str]:
    """One payout service in a unit of work; exits 1 with the reason when commerce refuses."""
    from commerce.distribution import payouts
    from commerce.errors import CommerceError

    c = _container()
    try:
        with c.db.uow() as uow:
            p = getattr(payouts, fn_name)(uow, payout_no, *args)
            state, method = str(p.state), str(p.method)
            uow.commit()
    except CommerceError as exc:
        typer.echo(f"refused / 未执行: {exc}", err=True)
        raise typer.Exit(1) from None
    return c, state, method


def _state(c: Any, payout_no: str) -> str:
    from commerce.distribution import payouts

    with c.db.uow() as uow:
        return str(payouts.find_payout(uow, payout_no).state)


def _hand_over(c: Any, payout_no: str) -> str:
    """An approved WeChat payout goes to transfer-bills: by the worker, or here when tasks run eagerly."""
    if c.settings.celery_eager:
        c.distribution.process_payout(payout_no)
        return _state(c, payout_no)
    if c.task_dispatcher.dispatch("worker.run_job", ["process_payout", payout_no]):
        return "approved, the worker sends the transfer / 已交给 worker 转账"
    return "approved, queued for the worker (the retry-transfers job sends it too) / 已排队等待 worker"


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
    """Approve a requested payout; a WeChat one is then handed to the worker for the transfer / 审核通过."""
    c, state, method = _run("approve_payout", payout_no, "cli")
    if method == "wechat":
        state = _hand_over(c, payout_no)
    c.task_dispatcher.join_eager()
    typer.echo(f"{payout_no}: {state}")


@app.command("reject")
def reject_cmd(payout_no: str, reason: str = typer.Option("rejected by merchant")) -> None:
    """Reject: the money goes back to the distributor's balance / 驳回（退回余额）."""
    c, state, _ = _run("reject_payout", payout_no, reason)
    c.task_dispatcher.join_eager()
    typer.echo(f"{payout_no}: {state}")


@app.command("process")
def process_cmd(payout_no: str = typer.Argument("", help="one payout; default: every approved WeChat payout")) -> None:
    """Send approved WeChat payouts to transfer-bills now (also retries a failed call) / 发起微信转账."""
    from siyu.jobs import retry_transfers

    c = _container()
    if payout_no:
        c.distribution.process_payout(payout_no)
        typer.echo(f"{payout_no}: {_state(c, payout_no)}")
    else:
        typer.echo(f"sent / 已发起: {retry_transfers(c)}")
    c.task_dispatcher.join_eager()


@app.command("retry", hidden=True)
def retry_cmd() -> None:
    """Old name of `siyu payout process`."""
    process_cmd("")


@app.command("reconcile")
def reconcile_cmd(older_than: float = typer.Option(
        None, "--older-than", help="minutes in processing; default pay.transfer.reconcile_after_minutes")) -> None:
    """Look up WeChat payouts still processing (callback lost?) and finish them / 核对未收到回调的转账."""
    from siyu.jobs import reconcile_payouts

    c = _container()
    counts = reconcile_payouts(c, older_than)
    c.task_dispatcher.join_eager()
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "nothing to reconcile"
    typer.echo(f"reconciled / 已核对: {summary}")


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


@app.command("mark-paid")
def mark_paid_cmd(payout_no: str) -> None:
    """Mark an exported bank payout paid / 标记银行打款完成."""
    c, state, _ = _run("mark_paid", payout_no)
    c.task_dispatcher.join_eager()
    typer.echo(f"{payout_no}: {state}")
