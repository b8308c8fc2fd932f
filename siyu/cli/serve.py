"""`siyu demo` and `siyu serve`."""

from __future__ import annotations

import os

import typer


def _run(host: str, port: int, banner: str = "") -> None:
    import uvicorn

    from siyu.app import create_app
    from siyu.container import boot

    c = boot()
    app = create_app(c, on_ready=(lambda: typer.echo(banner)) if banner else None)
    uvicorn.run(app, host=host, port=port, log_level="warning", http="httptools", loop="uvloop")


def register(root: typer.Typer) -> None:
    @root.command()
    def demo(
        host: str = typer.Option("127.0.0.1"),
        port: int = typer.Option(8000),
        prepare_only: bool = typer.Option(False, "--prepare-only", help="migrate and seed, then exit"),
    ) -> None:
        """Run the embedded demo: SQLite, in-process cache, eager tasks, sandbox + simulator."""
        os.environ.setdefault("SIYU_MODE", "demo")
        os.environ["SIYU_PUBLIC_BASE_URL"] = os.environ.get("SIYU_PUBLIC_BASE_URL") or f"http://{host}:{port}"
        from siyu.container import boot
        from siyu.demo import prepare_demo, record_base_url

        c = boot()
        prepare_demo(c)
        record_base_url(c.data_dir, c.settings.public_base_url)
        if prepare_only:
            typer.echo("demo shop migrated and seeded")
            return
        base = f"http://{host}:{port}"
        typer.echo("  思语 Siyu demo: migrated and seeded; loading the chat model…")
        _run(host, port, f"\n  思语 Siyu demo is ready.\n  simulator: {base}/simulator\n  health:    {base}/healthz\n")

    @root.command()
    def serve(host: str = typer.Option("0.0.0.0"), port: int = typer.Option(8000)) -> None:
        """Serve the bot with the configured settings (production)."""
        _run(host, port)
