"""`haat db`: the database schema."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from haat.cli.common import console
from haat.config import get_settings

app = typer.Typer(help="Database schema.", no_args_is_help=True)


@app.command("upgrade")
def upgrade(
    revision: Annotated[str, typer.Argument(help="target revision")] = "head",
) -> None:
    """Apply the migrations to DATABASE_URL (creates var/haat.db for SQLite)."""
    from haat.core.migrate import upgrade as migrate

    settings = get_settings()
    ensure_sqlite_dir(settings.database_url)
    migrate(settings.database_url, revision)
    console.print(f"[green]database at {revision}[/green]")


def ensure_sqlite_dir(url: str) -> None:
    """Create the folder of a SQLite database file (``var/`` on a fresh checkout)."""
    if url.startswith("sqlite") and ":///" in url:
        path = url.split(":///", 1)[1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
