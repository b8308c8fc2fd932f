"""`siyu catalog import FILE` end to end on a fresh SQLite data directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from siyu.cli import app
from tests.integration.catalog.sheets import ORANGE_5, good_rows, write_csv, write_xlsx


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "var"
    monkeypatch.setenv("SIYU_MODE", "demo")
    monkeypatch.setenv("SIYU_DATA_DIR", str(data))
    monkeypatch.setenv("SIYU_DATABASE__URL", f"sqlite:///{tmp_path / 'cli.db'}")
    return data


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_good_csv_imports_and_exits_zero(data_dir: Path, tmp_path: Path) -> None:
    code, output = invoke("catalog", "import", str(write_csv(tmp_path / "goods.csv", good_rows())))
    assert code == 0, output
    assert "imported" in output
    code, output = invoke("catalog", "search", "chengzi")
    assert code == 0 and "赣南脐橙" in output


def test_good_xlsx_imports_and_exits_zero(data_dir: Path, tmp_path: Path) -> None:
    code, output = invoke("catalog", "import", str(write_xlsx(tmp_path / "goods.xlsx", good_rows())))
    assert code == 0, output


def test_a_bad_row_is_listed_with_its_row_number_and_the_exit_code_is_one(data_dir: Path, tmp_path: Path) -> None:
    rows = [*good_rows(), {**ORANGE_5, "sku_code": "X-1", "spec": "规格:1斤", "price": "-3"}]
    code, output = invoke("catalog", "import", str(write_csv(tmp_path / "goods.csv", rows)))
    assert code == 1
    assert "X-1" in output and "negative" in output and " 6 " in output


def test_missing_file_is_a_usage_error(data_dir: Path, tmp_path: Path) -> None:
    code, _ = invoke("catalog", "import", str(tmp_path / "nope.csv"))
    assert code != 0
