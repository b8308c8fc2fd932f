"""`siyu demo` and `siyu serve`."""

from __future__ import annotations

import os

import typer


def _run(host: str, port: int, workers: int = 1) -> None:
    import uvicorn

    from siyu.app import create_app
    from siyu.container import boot

    c = boot()
    app = create_app(c)
    uvicorn.run(app, host=host, port=port, log_level="warning", http="httptools", loop="uvloop")


def register(root: typer.Typer) -> None:
    @root.command()
    def demo(host: str = typer.Option("127.0.0.1"), port: int = typer.Option(8000)) -> None:
        """Run the embedded demo: SQLite, in-process cache, eager tasks, sandbox + simulator."""
        os.environ.setdefault("SIYU_MODE", "demo")
        os.environ["SIYU_PUBLIC_BASE_URL"] = os.environ.get("SIYU_PUBLIC_BASE_URL") or f"http://{host}:{port}"
        from siyu.container import boot
        from siyu.demo import prepare_demo

        prepare_demo(boot())
        base = f"http://{host}:{port}"
        typer.echo(f"\n  思语 Siyu demo is starting.\n  simulator: {base}/simulator\n  health:    {base}/healthz\n")
        _run(host, port)

    @root.command()
    def serve(host: str = typer.Option("0.0.0.0"), port: int = typer.Option(8000)) -> None:
        """Serve the bot with the configured settings (production)."""
        _run(host, port)
