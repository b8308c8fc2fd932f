"""`siyu` — the command line.  Each command group lives in its own module."""

from __future__ import annotations

import importlib

import typer

from siyu.cli import db as db_cli
from siyu.cli import serve as serve_cli

app = typer.Typer(help="思语 Siyu — 私域分销商城 WeChat bot", no_args_is_help=True, add_completion=False)
app.add_typer(db_cli.app, name="db")
serve_cli.register(app)

# Command groups owned by other modules; each exposes `app` (a Typer) or `register(root)`.
_GROUPS = {
    "catalog": "siyu.cli.catalog",
    "nlu": "siyu.cli.nlu",
    "menu": "siyu.cli.menu",
}
_REGISTER = ["siyu.cli.worker", "siyu.cli.distribution", "siyu.cli.later", "siyu.cli.orders"]

for name, module in _GROUPS.items():
    try:
        app.add_typer(importlib.import_module(module).app, name=name)
    except ModuleNotFoundError as exc:  # pragma: no cover - during development only
        if exc.name != module:
            raise
for module in _REGISTER:
    try:
        importlib.import_module(module).register(app)
    except ModuleNotFoundError as exc:  # pragma: no cover
        if exc.name != module:
            raise


def main() -> None:
    app()
