"""Commands owned by later issues: they exist and say so until then."""

from __future__ import annotations

import typer

_LATER = {
    "report": "经营报表 reports",
    "backup": "备份 backup",
    "restore": "恢复 restore",
}


def register(root: typer.Typer) -> None:
    existing = {c.name for c in root.registered_commands} | {g.name for g in root.registered_groups}
    for name, what in _LATER.items():
        if name in existing:
            continue

        def _cmd(args: list[str] = typer.Argument(None), _what: str = what) -> None:  # noqa: B008
            typer.echo(f"not yet available / 暂未开放: {_what}")
            raise typer.Exit(2)

        root.command(name=name, help=f"{what} — not yet available")(_cmd)
