"""`siyu demo` and `siyu serve`."""

from __future__ import annotations

import os

import typer


def _run(host: str, port: int, banner: str = "", workers: int = 1) -> None:
    import uvicorn

    if workers > 1:  # each worker process boots its own container (`serving_app`)
        uvicorn.run("siyu.app:serving_app", factory=True, workers=workers, host=host, port=port,
                    log_level="warning", http="httptools", loop="uvloop")
        return
    from siyu.app import serving_app

    app = serving_app(on_ready=(lambda: typer.echo(banner)) if banner else None)
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
    def serve(
        host: str = typer.Option("0.0.0.0"),
        port: int = typer.Option(8000),
        workers: int = typer.Option(1, min=1, help="processes; one per CPU core is the usual choice"),
    ) -> None:
        """Serve the bot with the configured settings (production)."""
        _run(host, port, workers=workers)
