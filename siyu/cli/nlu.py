"""`siyu nlu train | eval FILE [--json] | export-rasa DIR` — the shop NLU from the command line."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="中文 NLU：训练、评估、导出 Rasa 项目 / train, evaluate and export the shop NLU.",
                  no_args_is_help=True, add_completion=False)
console = Console()
ModelOption = typer.Option(None, "--model", help="model file (default: {data_dir}/nlu/model.pkl)")
FileArgument = typer.Argument(..., exists=True, dir_okay=False, help="Rasa NLU YAML test file")
DirArgument = typer.Argument(..., file_okay=False, help="target directory")
JsonOption = typer.Option(False, "--json", help="print one JSON object")


def default_model_path() -> Path:
    from siyu.settings import load_settings

    settings = load_settings()
    if settings.nlu.model_path:
        return Path(settings.nlu.model_path)
    return Path(settings.data_dir) / "nlu" / "model.pkl"


@app.command()
def train(model: Path | None = ModelOption) -> None:
    """Train the intent model on nlu/data/nlu.yml and save it."""
    from nlu.lexicon import Lexicon
    from nlu.model_file import save
    from nlu.training import train as fit

    path = model or default_model_path()
    with console.status("training the NLU model…"):
        trained = fit(Lexicon())
        save(trained, path)
    meta = trained.meta
    console.print(f"[green]trained[/] {len(trained.intents)} intents on {meta['examples']} examples "
                  f"in {meta['seconds']} s → {path}")


@app.command("eval")
def evaluate(
    file: Path = FileArgument,
    as_json: bool = JsonOption,
    model: Path | None = ModelOption,
) -> None:
    """Intent accuracy, macro-F1, per-intent P/R, entity P/R/F1, confusions and latency on FILE."""
    from nlu import load_interpreter
    from nlu.evaluation import evaluate as run
    from nlu.rasa_yaml import load

    logging.basicConfig(level=logging.WARNING)
    interpreter = load_interpreter(model_path=model or default_model_path())
    report = run(interpreter, load(file).examples)
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False))
        return
    _print_report(report)


@app.command("cv")
def cross_validate(
    folds: int = typer.Option(5, "--folds", help="number of folds"),
    as_json: bool = JsonOption,
) -> None:
    """k-fold cross-validation of the intent model on nlu/data/nlu.yml (per-intent table, confusions)."""
    from nlu.crossval import cross_validate as run
    from nlu.rasa_yaml import load
    from nlu.training import TRAINING_FILE

    with console.status(f"{folds}-fold cross-validation…"):
        report = run(load(TRAINING_FILE).examples, folds)
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False))
        return
    _print_report(report)


@app.command("export-rasa")
def export_rasa(directory: Path = DirArgument) -> None:
    """Write a Rasa 3 project (config.yml with a Chinese pipeline, domain, data) into DIRECTORY."""
    from nlu.export import export_rasa as write

    for path in write(directory):
        console.print(f"wrote {path}")
    console.print(f"train it with: cd {directory} && rasa train")


def _print_report(report: object) -> None:
    from nlu.evaluation import Report

    assert isinstance(report, Report)
    summary = Table(title=f"NLU evaluation (n={report.n})", show_header=False)
    for key in ("intent_accuracy", "intent_macro_f1", "entity_precision", "entity_recall", "entity_f1",
                "latency_ms_p50", "latency_ms_p99"):
        summary.add_row(key, f"{getattr(report, key):.4f}" if "latency" not in key else f"{getattr(report, key)} ms")
    console.print(summary)
    for title, rows in (("intents", report.per_intent), ("entities", report.per_entity)):
        table = Table(title=title)
        for column in ("name", "precision", "recall", "f1", "support"):
            table.add_column(column)
        for name, m in rows.items():
            table.add_row(name, f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}", str(m["support"]))
        console.print(table)
    if report.confusions:
        console.print("confusions (expected → got): " + ", ".join(f"{a}→{b} ×{c}" for a, b, c in report.confusions))
