"""What the commands share: the console, the progress bar, and running work on the database
in one committed transaction."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from sqlalchemy.ext.asyncio import AsyncSession

from haat.config import Settings
from haat.core.db import Database, session_scope
from haat.core.errors import HaatError

console = Console()
T = TypeVar("T")


def progress_bar() -> Progress:
    """The progress bar of long commands: description, bar, done/total, elapsed time."""
    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


def with_database(settings: Settings, work: Callable[[Database], Awaitable[T]]) -> T:
    """Run ``work(db)`` on DATABASE_URL (a pool of its own, closed afterwards); a Haat error
    becomes a clean exit with its message."""

    async def run() -> T:
        db = Database(settings.database_url, null_pool=True)
        try:
            return await work(db)
        finally:
            await db.dispose()

    try:
        return asyncio.run(run())
    except HaatError as exc:
        console.print(f"[red]{exc.detail}[/red]")
        raise typer.Exit(1) from None


def in_transaction(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``work(session)`` in one transaction, committed when it returns."""

    async def run(db: Database) -> T:
        async with session_scope(db) as session:
            return await work(session)

    return with_database(settings, run)
