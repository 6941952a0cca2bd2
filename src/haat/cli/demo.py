"""`haat demo`: the demo marketplace and the price models it needs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer
from rich.table import Table

from haat.cli.common import console, progress_bar, with_database
from haat.cli.ml import train_with_progress
from haat.config import Settings, get_settings
from haat.core.db import Database


def demo(
    diamonds: Annotated[int, typer.Option(help="how many stones the jewellery shop stocks")] = 2000,
    force: Annotated[bool, typer.Option(help="allow loading with HAAT_ENV=production")] = False,
    models: Annotated[
        bool, typer.Option(help="train the gold and diamond price models that have no champion")
    ] = True,
) -> None:
    """Load the demo marketplace (craft clusters, diamonds, users for every role) and train
    the price models that are missing (under a minute on two cores).

    Idempotent: a database that has it already is left as it is.
    """
    from haat.demo.loader import DEMO_PASSWORD, DemoResult, load_demo

    settings = get_settings()
    if settings.haat_env == "production" and not force:
        raise typer.BadParameter("refusing to load demo users into production (use --force)")

    async def load(db: Database) -> DemoResult:
        with progress_bar() as bar:

            def progress(total: int, _start: int) -> Callable[[int], None]:
                task = bar.add_task("loading demo products", total=total)
                return lambda n: bar.advance(task, n)

            async with db.session() as session:
                result = await load_demo(session, diamonds=diamonds, progress=progress)
                await session.commit()
        return result

    result = with_database(settings, load)
    if not result.loaded:
        console.print("demo data already loaded; nothing changed")
    else:
        console.print(
            f"[green]loaded {result.businesses} businesses, {result.products} "
            f"products, {result.users} users[/green]"
        )
        table = Table(title=f"Demo accounts (password for all: {DEMO_PASSWORD})")
        for column in ("email", "platform role", "what"):
            table.add_column(column)
        for account in result.accounts:
            table.add_row(account.email, account.role, account.what)
        console.print(table)
    if models:
        train_missing_models(settings)


def train_missing_models(settings: Settings) -> None:
    """Train, with a progress bar, each prediction model that has no champion yet."""
    from haat.ml import service
    from haat.pricing.predictions.tasks import MODELS

    async def missing(db: Database) -> list[str]:
        async with db.session(write=False) as session:
            return [name for name in MODELS if await service.champion(session, name) is None]

    for name in with_database(settings, missing):
        row = train_with_progress(settings, name, {})
        console.print(f"[green]trained the {name} price model (v{row.version})[/green]")
