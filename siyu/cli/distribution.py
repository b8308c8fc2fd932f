"""`siyu settle weekly|monthly`, `siyu distributor …`, `siyu demo-time advance`, plus the payout and
compliance groups (their own modules)."""

from __future__ import annotations

from typing import Any

import typer

from commerce.money import fen_to_yuan_str

distributor_app = typer.Typer(help="推广员 / distributors: review, suspend, invite", no_args_is_help=True)
demo_time_app = typer.Typer(help="演示时间 / demo-only clock (refuses unless mode=demo)", no_args_is_help=True)


def boot_container() -> Any:
    from siyu.container import boot

    return boot()


def policy_of(c: Any) -> Any:
    from siyu.distribution import policy_from_settings

    return policy_from_settings(c.settings.distribution)


def settle_cmd(
    kind: str = typer.Argument(..., help="weekly | monthly"),
    period: str = typer.Option("", help="period key override, e.g. weekly:2026-W48"),
) -> None:
    """Settle available commission into this period's batch (idempotent) / 佣金结算."""
    from commerce.distribution.settlement import KINDS, settle
    from commerce.distribution.team import award_team_rewards

    if kind not in KINDS:
        typer.echo(f"unknown period {kind!r}: use weekly or monthly / 结算周期应为 weekly 或 monthly", err=True)
        raise typer.Exit(2)
    c = boot_container()
    with c.db.uow() as uow:
        r = settle(uow, kind, policy_of(c), key=period, team_rewarder=award_team_rewards)
        uow.commit()
    verb = "settled / 已结算" if r.created else "already settled, nothing done / 本期已结算，无变化"
    typer.echo(f"{r.period_key}: {verb} — {r.entry_count} entries, {r.distributor_count} distributors, "
               f"¥{fen_to_yuan_str(r.total_fen)}")


@distributor_app.command("list")
def list_cmd(status: str = typer.Option("", help="applied | active | suspended | rejected")) -> None:
    """List distributors (personal data masked) / 推广员列表."""
    from sqlalchemy import select

    from commerce.distribution.model import Distributor
    from commerce.privacy.crypto import mask_name, mask_phone

    c = boot_container()
    with c.db.uow() as uow:
        stmt = select(Distributor).order_by(Distributor.id)
        if status:
            stmt = stmt.where(Distributor.status == status)
        for d in uow.session.scalars(stmt):
            typer.echo(f"{d.id}\t{d.code}\t{d.status}\t{d.grade or '-'}\t{mask_name(d.real_name or '')}\t"
                       f"{mask_phone(d.phone) if d.phone else ''}")


def _review(action: str, code: str, note: str) -> None:
    """approve / reject send the applicant their chat message after the commit (`siyu.notifications`)."""
    from commerce.distribution import recruitment
    from commerce.errors import CommerceError
    from siyu import notifications

    c = boot_container()
    notifications.register(c)
    try:
        with c.db.uow() as uow:
            if action in ("approve", "reject"):
                d = getattr(recruitment, action)(uow, code, note)
            elif action == "suspend":
                d = recruitment.suspend(uow, code, policy_of(c), note)
            else:
                d = recruitment.resume(uow, code)
            uow.commit()
    except CommerceError as exc:
        typer.echo(f"refused / 未执行: {exc}", err=True)
        raise typer.Exit(1) from None
    c.task_dispatcher.join_eager()
    typer.echo(f"{d.code}: {d.status}")


@distributor_app.command("approve")
def approve_cmd(code: str, note: str = typer.Option("")) -> None:
    """Approve an application / 通过申请."""
    _review("approve", code, note)


@distributor_app.command("reject")
def reject_cmd(code: str, note: str = typer.Option("")) -> None:
    """Reject an application / 拒绝申请."""
    _review("reject", code, note)


@distributor_app.command("suspend")
def suspend_cmd(code: str, note: str = typer.Option("")) -> None:
    """Suspend: earns nothing new; frozen commission follows distribution.suspended_frozen / 暂停."""
    _review("suspend", code, note)


@distributor_app.command("resume")
def resume_cmd(code: str) -> None:
    """Resume a suspended distributor / 恢复."""
    _review("resume", code, "")


@distributor_app.command("invite")
def invite_cmd(uses: int = typer.Option(1, help="how many people may use it")) -> None:
    """Create an invitation code (invite mode; always free) / 生成邀请码."""
    from commerce.distribution import recruitment

    c = boot_container()
    with c.db.uow() as uow:
        inv = recruitment.invite(uow, uses)
        uow.commit()
    typer.echo(inv.code)


@demo_time_app.command("advance")
def advance_cmd(days: float = typer.Option(0.0), hours: float = typer.Option(0.0)) -> None:
    """Move the demo clock forward (persists across processes) and release due commission."""
    from commerce.distribution.ledger import release_frozen
    from siyu import demo_clock

    c = boot_container()
    if c.settings.mode != "demo":
        typer.echo("demo-time only works in demo mode / 仅演示模式可用", err=True)
        raise typer.Exit(2)
    total = demo_clock.advance(c.data_dir, days=days, hours=hours)
    with c.db.uow() as uow:
        released = release_frozen(uow, policy_of(c))
        uow.commit()
    typer.echo(f"demo clock is now +{total / 86400:.2f} days; released {released} commission entries")


@demo_time_app.command("reset")
def reset_cmd() -> None:
    """Back to real time / 恢复真实时间."""
    from siyu import demo_clock

    c = boot_container()
    if c.settings.mode != "demo":
        raise typer.Exit(2)
    demo_clock.reset(c.data_dir)
    typer.echo("demo clock reset")


def register(root: typer.Typer) -> None:
    from siyu.cli import compliance as compliance_cli
    from siyu.cli import payouts as payouts_cli

    root.command(name="settle", help="佣金结算 settle weekly|monthly (idempotent per period)")(settle_cmd)
    root.add_typer(distributor_app, name="distributor")
    root.add_typer(demo_time_app, name="demo-time")
    root.add_typer(payouts_cli.app, name="payout")
    root.add_typer(compliance_cli.app, name="compliance")
