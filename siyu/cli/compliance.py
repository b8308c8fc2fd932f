"""`siyu compliance check` — audit configuration and data; non-zero exit on any failure."""

from __future__ import annotations

import typer

app = typer.Typer(help="合规检查 / compliance report", no_args_is_help=True)
