"""`siyu db upgrade` — apply Alembic migrations to the configured database."""

from __future__ import annotations

import typer

app = typer.Typer(help="数据库 / database schema", no_args_is_help=True)


@app.command()
def upgrade(revision: str = typer.Argument("head")) -> None:
    """Apply migrations up to REVISION (default: head)."""
    from siyu.container import boot
    from siyu.dbsetup import upgrade as do_upgrade

    c = boot()
    c.data_dir  # noqa: B018
    do_upgrade(c.settings.database_url, revision)
    typer.echo(f"database upgraded to {revision}")
