"""`haat pricing`: metal rates and jewellery prices."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from haat.cli.common import console, in_transaction, progress_bar
from haat.config import get_settings

app = typer.Typer(help="Metal rates and jewellery prices.", no_args_is_help=True)


@app.command("import")
def import_rates(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, help="CSV with metal,date,inr_per_gram[,source]"
        ),
    ],
    source: Annotated[
        str | None, typer.Option(help="source of rows without one (default: the file name)")
    ] = None,
) -> None:
    """Import metal rates from a CSV file, all or nothing, and re-price the jewellery and
    carts of every metal touched. Bad lines are listed and nothing is stored."""
    from haat.pricing.importing import ImportResult, InvalidRateFile, parse_rates, store_rates

    settings = get_settings()
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise typer.BadParameter(f"{file} is not UTF-8 text") from None
    try:
        rates = parse_rates(text, source or f"CSV import {file.name}"[:200])
    except InvalidRateFile as exc:
        console.print(f"[red]{exc.detail}[/red]")
        for error in exc.extra.get("errors", []):
            _, line, *column = error["loc"]
            console.print(f"  line {line} {''.join(map(str, column))}: {error['msg']}")
        raise typer.Exit(1) from None

    async def store(session: AsyncSession) -> ImportResult:
        with progress_bar() as bar:
            task = bar.add_task(f"importing {file.name}", total=len(rates))
            return await store_rates(session, rates, None, lambda n: bar.advance(task, n))

    result = in_transaction(settings, store)
    console.print(f"[green]{result.created} rate(s) added, {result.updated} replaced[/green]")
    for repriced in result.repriced:
        console.print(
            f"{repriced.metal.value}: {repriced.products} product(s) re-priced, "
            f"{repriced.cart_lines} cart line(s) moved to the new price"
        )


@app.command("seed")
def seed() -> None:
    """Store the packaged monthly gold rates (1973 on, INR per gram; idempotent) and
    re-price gold jewellery. No silver or platinum series ships: enter or import those."""
    from haat.pricing.seed import seed_gold_rates

    added = in_transaction(get_settings(), seed_gold_rates)
    console.print(f"[green]{added} gold rate(s) added[/green]")
