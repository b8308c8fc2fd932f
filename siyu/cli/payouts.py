"""`siyu payout …` — review, export and mark bank payouts."""

from __future__ import annotations

import typer

app = typer.Typer(help="提现 / payouts: approve, export bank batch, mark paid", no_args_is_help=True)
