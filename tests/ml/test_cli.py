"""`haat ml list | train | promote | rollback` on a fresh database file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from haat.cli import app
from haat.cli.common import console
from haat.config import get_settings

runner = CliRunner()


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'ml.db'}")
    monkeypatch.setenv("MODEL_DIR", str(tmp_path / "models"))
    # Rich tables unwrapped (the console read COLUMNS when it was made, at import).
    monkeypatch.setattr(console, "width", 250)
    get_settings.cache_clear()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    yield tmp_path / "models"
    get_settings.cache_clear()


def _ok(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())  # unwrapped from the terminal's width


def test_train_promote_and_roll_back(registry: Path) -> None:
    out = _ok("ml", "train", "diamond", "--param", "num_boost_round=40")
    assert "diamond v1: champion" in out and "rmse=" in out
    out = _ok("ml", "train", "diamond", "--param", "num_boost_round=2")
    assert "diamond v2: candidate" in out and "kept as candidate" in out
    assert len(list((registry / "diamond").glob("*.skops"))) == 2

    refused = runner.invoke(app, ["ml", "promote", "diamond", "2"])
    assert refused.exit_code == 1 and "worse than the champion" in " ".join(refused.output.split())
    _ok("ml", "promote", "diamond", "2", "--force")
    listing = _ok("ml", "list", "diamond")
    assert "champion" in listing and "retired" in listing

    out = _ok("ml", "rollback", "diamond")
    assert "diamond v1 is the champion again" in out
    refused = runner.invoke(app, ["ml", "rollback", "diamond"])
    assert refused.exit_code == 1 and "no earlier champion" in " ".join(refused.output.split())


def test_train_refuses_unknown_models_and_short_series(registry: Path) -> None:
    result = runner.invoke(app, ["ml", "train", "silver"])
    assert result.exit_code != 0 and "unknown model" in result.output
    result = runner.invoke(app, ["ml", "train", "gold", "--param", "until=1975-01"])
    assert result.exit_code != 0
    assert "at least 30" in str(result.exception)
    out = _ok("ml", "train", "gold", "--param", "until=1990-12")
    assert "gold v1: champion" in out
    listing = _ok("ml", "list")
    assert "1973-01..1990-12" in listing
