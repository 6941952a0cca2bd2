"""The `haat` command: help on each command, migrations, admins and the demo on a fresh file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from haat.cli import app
from haat.config import get_settings

runner = CliRunner()


@pytest.fixture
def fresh_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "var" / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["serve"],
        ["demo"],
        ["db", "upgrade"],
        ["users", "create-admin"],
        ["quality", "regrade"],
        ["ml", "list"],
        ["ml", "train"],
        ["ml", "promote"],
        ["ml", "rollback"],
        ["assistant", "index"],
    ],
)
def test_every_command_has_help(args: list[str]) -> None:
    result = runner.invoke(app, [*args, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_upgrade_create_admin_and_demo(fresh_database: Path) -> None:
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert fresh_database.is_file()

    result = runner.invoke(
        app, ["users", "create-admin", "--email", "Ops@Example.com", "--password", "long-enough-pw"]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        app, ["users", "create-admin", "--email", "x@example.com", "--password", "short"]
    )
    assert result.exit_code != 0

    result = runner.invoke(app, ["demo", "--diamonds", "20", "--no-models"])
    assert result.exit_code == 0, result.output
    assert "haat-demo-2026" in result.output and "admin@haat.example" in result.output
    again = runner.invoke(app, ["demo", "--diamonds", "20", "--no-models"])
    assert "already loaded" in again.output

    with sqlite3.connect(fresh_database) as conn:
        role = conn.execute("SELECT platform_role FROM users WHERE email = 'ops@example.com'")
        assert role.fetchone() == ("admin",)
        count = conn.execute("SELECT count(*) FROM products WHERE currency = 'USD'").fetchone()
        assert count == (20,)


def test_demo_refuses_production(fresh_database: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAAT_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "p" * 48)
    get_settings.cache_clear()
    result = runner.invoke(app, ["demo"])
    assert result.exit_code != 0
    assert "production" in result.output


def test_assistant_index_runs_on_a_fresh_database(fresh_database: Path) -> None:
    from haat.assistant import embeddings

    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(app, ["assistant", "index"])
    assert result.exit_code == 0, result.output
    if embeddings.available():
        assert "0 product vector(s) computed, 0 already current, 0 removed" in result.output
    else:
        assert "The ai extra is not installed" in result.output
