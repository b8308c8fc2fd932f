"""`siyu compliance check` — audit configuration and data; non-zero exit on any failure.

Rules: configured depth, depth actually paid, rewards tied to paid orders, nobody
paid to join, no binding cycles, rates ≤ 100%, personal data encrypted.  WARN
(e.g. an acknowledged 3rd level) is shown but does not fail.  A configuration
refused at start-up (e.g. a 3rd level without acknowledgement) fails too.
"""

from __future__ import annotations

import typer

app = typer.Typer(help="合规检查 / compliance report", no_args_is_help=True)


@app.command("check")
def check_cmd() -> None:
    """Print PASS/WARN/FAIL per rule; exit 1 if any rule fails / 合规检查."""
    from commerce.distribution.compliance import CheckResult, Verdict, run_checks
    from siyu.settings import SettingsError

    try:
        from siyu.cli.distribution import boot_container, policy_of

        c = boot_container()
        policy = policy_of(c)
    except SettingsError as exc:
        _print([CheckResult("configuration accepted at start-up", Verdict.FAIL, str(exc))])
        raise typer.Exit(1) from None
    with c.db.uow() as uow:
        results = run_checks(uow, policy)
    _print(results)
    failed = [r for r in results if r.verdict == Verdict.FAIL]
    typer.echo(f"{len(results) - len(failed)}/{len(results)} rules without failure / 合规检查"
               f"{'未通过' if failed else '通过'}")
    if failed:
        raise typer.Exit(1)


def _print(results: list) -> None:  # type: ignore[type-arg]
    width = max(len(r.rule) for r in results)
    for r in results:
        typer.echo(f"{r.verdict.value:<5} {r.rule:<{width}}  {r.detail}")
