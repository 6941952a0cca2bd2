"""`haat ml`: list, train, promote and roll back registered models."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table
from sqlalchemy.ext.asyncio import AsyncSession

from haat.cli.common import console, in_transaction, progress_bar
from haat.config import Settings, get_settings

app = typer.Typer(
    help="Model registry: trained price models and their champions.", no_args_is_help=True
)


def _specs() -> None:
    # The model kinds register themselves when their modules are imported; the app imports
    # every module.
    import haat.app  # noqa: F401


def _headline(metrics: dict[str, Any]) -> str:
    keys = ("rmse", "r2", "mape", "coverage", "mape_mean")
    parts = [f"{k}={metrics[k]:.4g}" for k in keys if isinstance(metrics.get(k), int | float)]
    return " ".join(parts)


def train_with_progress(settings: Settings, name: str, params: dict[str, Any]) -> Any:
    """Train ``name`` with a progress bar, then record it (used by `train` and `haat demo`);
    returns the registry row."""
    from haat.ml import service, specs

    spec = specs.get(name)
    with progress_bar() as bar:
        task = bar.add_task(f"training {name}", total=spec.steps + 1)

        def step(description: str) -> None:
            bar.update(task, description=description)
            bar.advance(task)

        trained = service.fit(name, params, step)
        bar.update(task, description=f"recording {name}")

        async def record(session: AsyncSession) -> Any:
            return await service.record(session, settings.model_dir, trained)

        row = in_transaction(settings, record)
        bar.update(task, completed=spec.steps + 1, description=f"trained {name}")
    return row


@app.command("list")
def list_versions(
    name: Annotated[str | None, typer.Argument(help="only this model")] = None,
) -> None:
    """Every version with its status, data, hold-out figures and training time."""
    from haat.ml import service

    _specs()
    rows = in_transaction(get_settings(), lambda session: service.versions(session, name))
    table = Table(title="models")
    for column in ("name", "version", "status", "trained", "data", "rows", "metrics", "seconds"):
        table.add_column(column)
    for row in rows:
        span = f"{row.data_start:%Y-%m}..{row.data_end:%Y-%m}" if row.data_start else "-"
        table.add_row(
            row.name,
            str(row.version),
            row.status.value,
            f"{row.created_at:%Y-%m-%d %H:%M}",
            span,
            str(row.n_rows),
            _headline(row.metrics),
            f"{row.training_seconds:.1f}",
        )
    console.print(table)


@app.command()
def train(
    name: Annotated[str, typer.Argument(help="model to train: gold or diamond")],
    param: Annotated[
        list[str] | None,
        typer.Option(help="a training parameter KEY=VALUE (JSON value), repeatable"),
    ] = None,
) -> None:
    """Train a new version; it becomes champion only if no worse on the same hold-out."""
    from haat.ml import specs

    _specs()
    if name not in specs.names():
        raise typer.BadParameter(f"unknown model {name!r}; known: {', '.join(specs.names())}")
    params: dict[str, Any] = {}
    for item in param or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"expected KEY=VALUE, got {item!r}")
        try:
            params[key] = json.loads(value)
        except json.JSONDecodeError:
            params[key] = value
    row = train_with_progress(get_settings(), name, params)
    colour = "green" if row.status.value == "champion" else "yellow"
    console.print(
        f"[{colour}]{name} v{row.version}: {row.status.value}[/{colour}] "
        f"({row.comparison['reason']}); {_headline(row.metrics)}"
    )


@app.command()
def promote(
    name: Annotated[str, typer.Argument(help="model name")],
    version: Annotated[int, typer.Argument(help="version to crown")],
    force: Annotated[bool, typer.Option(help="crown it even if worse than the champion")] = False,
) -> None:
    """Crown a version after re-scoring the champion on its hold-out (refused if worse)."""
    from haat.ml import service

    _specs()
    settings = get_settings()
    row = in_transaction(
        settings,
        lambda session: service.promote(session, settings.model_dir, name, version, force=force),
    )
    console.print(f"[green]{name} v{row.version} is the champion[/green]")


@app.command()
def rollback(name: Annotated[str, typer.Argument(help="model name")]) -> None:
    """Withdraw the champion and re-crown the one before it."""
    from haat.ml import service

    _specs()
    row = in_transaction(get_settings(), lambda session: service.rollback(session, name))
    console.print(f"[green]{name} v{row.version} is the champion again[/green]")
