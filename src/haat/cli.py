"""The `haat` command: serve, worker, demo, db upgrade, users create-admin, quality regrade,
ml list | train | promote | rollback, pricing import | seed, assistant index."""

from __future__ import annotations

import asyncio
import getpass
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from haat.config import Settings, get_settings
from haat.ml.cli import app as ml_app

app = typer.Typer(help="Haat: commerce for small businesses and artisans.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
users_app = typer.Typer(help="User accounts.", no_args_is_help=True)
quality_app = typer.Typer(help="Photo quality grading.", no_args_is_help=True)
pricing_app = typer.Typer(help="Metal rates and jewellery prices.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(quality_app, name="quality")
app.add_typer(ml_app, name="ml")
app.add_typer(pricing_app, name="pricing")
assistant_app = typer.Typer(help="The shopping assistant.", no_args_is_help=True)
app.add_typer(assistant_app, name="assistant")
console = Console()


def _progress_bar() -> Progress:
    """The progress bar of long commands: description, bar, done/total, elapsed time."""
    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    workers: Annotated[int, typer.Option(help="worker processes")] = 1,
    reload: Annotated[bool, typer.Option(help="restart on code changes (development)")] = False,
    access_log: Annotated[
        bool, typer.Option(help="log every request (off behind a proxy that logs them)")
    ] = True,
) -> None:
    """Serve the API, the docs (/docs) and the media files over HTTP."""
    import uvicorn

    uvicorn.run(
        "haat.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=None if reload else workers,
        reload=reload,
        proxy_headers=True,
        access_log=access_log,
        # Chat frames are small JSON: compressing each costs more CPU than it saves (bench/chat.py).
        ws_per_message_deflate=False,
    )


@app.command()
def worker() -> None:
    """Run queued background jobs from Redis (needs REDIS_URL; without it the app runs its
    jobs in-process and no worker is needed). Stops cleanly on Ctrl-C / SIGTERM."""
    import signal
    import threading

    import haat.app  # noqa: F401  (imports every module, so every task is registered)
    from haat.core.tasks import JobRunner

    settings = get_settings()
    if not settings.redis_url:
        raise typer.BadParameter("set REDIS_URL: without it jobs run inside `haat serve`")
    runner = JobRunner(settings)
    runner.declare_all()
    import dramatiq

    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    worker_ = dramatiq.Worker(runner.broker, worker_threads=2)
    worker_.start()
    console.print(f"[green]worker running tasks from {settings.redis_url}[/green]")
    stop.wait()
    worker_.stop(timeout=30_000)


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="target revision")] = "head",
) -> None:
    """Apply the migrations to DATABASE_URL (creates var/haat.db for SQLite)."""
    from haat.core.migrate import upgrade

    settings = get_settings()
    _ensure_sqlite_dir(settings.database_url)
    upgrade(settings.database_url, revision)
    console.print(f"[green]database at {revision}[/green]")


def _ensure_sqlite_dir(url: str) -> None:
    if url.startswith("sqlite") and ":///" in url:
        from pathlib import Path

        path = url.split(":///", 1)[1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)


@app.command()
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
    from rich.table import Table

    from haat.core.db import Database
    from haat.demo.loader import DEMO_PASSWORD, load_demo

    settings = get_settings()
    if settings.haat_env == "production" and not force:
        raise typer.BadParameter("refusing to load demo users into production (use --force)")

    async def run() -> None:
        db = Database(settings.database_url, null_pool=True)
        try:
            with _progress_bar() as bar:

                def progress(total: int, _start: int) -> Callable[[int], None]:
                    task = bar.add_task("loading demo products", total=total)
                    return lambda n: bar.advance(task, n)

                async with db.session() as session:
                    result = await load_demo(session, diamonds=diamonds, progress=progress)
                    await session.commit()
        finally:
            await db.dispose()
        if not result.loaded:
            console.print("demo data already loaded; nothing changed")
            return
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

    asyncio.run(run())
    if models:
        _train_missing_models(settings)


def _train_missing_models(settings: Settings) -> None:
    """Train, with a progress bar, each prediction model that has no champion yet."""
    from haat.core.db import Database
    from haat.ml import service
    from haat.ml.cli import train_with_progress
    from haat.pricing.predictions.tasks import MODELS

    async def missing() -> list[str]:
        db = Database(settings.database_url, null_pool=True)
        try:
            async with db.session(write=False) as session:
                return [name for name in MODELS if await service.champion(session, name) is None]
        finally:
            await db.dispose()

    for name in asyncio.run(missing()):
        row = train_with_progress(settings, name, {})
        console.print(f"[green]trained the {name} price model (v{row.version})[/green]")


@users_app.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Option(help="the admin's email")],
    name: Annotated[str, typer.Option(help="full name")] = "Platform admin",
    password: Annotated[
        str | None,
        typer.Option(
            help="password (prompted when omitted; or set HAAT_ADMIN_PASSWORD)",
            envvar="HAAT_ADMIN_PASSWORD",
        ),
    ] = None,
) -> None:
    """Create a platform admin, or promote the existing account with this email."""
    from haat.core.db import Database
    from haat.core.ratelimit import RateLimiter
    from haat.identity.service import IdentityService

    if password is None:
        password = getpass.getpass("Password: ")
    if len(password) < 8:
        raise typer.BadParameter("the password needs at least 8 characters")
    settings = get_settings()

    async def run() -> None:
        db = Database(settings.database_url, null_pool=True)
        try:
            async with db.session() as session:
                service = IdentityService(settings, RateLimiter())
                user = await service.create_admin(session, email, password, name)
                await session.commit()
                console.print(f"[green]platform admin {user.email} ({user.id})[/green]")
        finally:
            await db.dispose()

    asyncio.run(run())


@quality_app.command("regrade")
def quality_regrade(
    everything: Annotated[
        bool, typer.Option("--all", help="re-grade every photo, not only outdated ones")
    ] = False,
    batch: Annotated[int, typer.Option(min=1, help="photos per transaction")] = 50,
) -> None:
    """Grade the stored product photos again: those never graded or graded by another
    model version (all of them with --all). Craftsmanship notes are kept. Commits every
    batch, so an interrupted run resumes where it stopped."""
    from collections import Counter

    from rich.table import Table

    from haat.catalog.photo_quality import images_to_grade, regrade_image
    from haat.core.db import Database, session_scope
    from haat.core.storage import LocalStorage
    from haat.quality.grading import MODEL_VERSION

    settings = get_settings()
    storage = LocalStorage(settings.upload_dir, settings.media_url)

    async def run() -> tuple[Counter[str], list[str]]:
        db = Database(settings.database_url, null_pool=True)
        grades: Counter[str] = Counter()
        missing: list[str] = []
        try:
            async with db.session(write=False) as session:
                todo = await images_to_grade(session, everything=everything)
            with _progress_bar() as bar:
                task = bar.add_task(f"grading photos ({MODEL_VERSION})", total=len(todo))
                for start in range(0, len(todo), batch):
                    async with session_scope(db) as session:
                        for image_id, path in todo[start : start + batch]:
                            grade = await regrade_image(session, storage, image_id, path)
                            if grade is None:
                                missing.append(path)
                            else:
                                grades[grade.value] += 1
                            bar.advance(task)
        finally:
            await db.dispose()
        return grades, missing

    grades, missing = asyncio.run(run())
    console.print(f"[green]graded {sum(grades.values())} photo(s) with {MODEL_VERSION}[/green]")
    table = Table()
    table.add_column("grade")
    table.add_column("photos", justify="right")
    for grade in ("A", "B", "C", "retake"):
        table.add_row(grade, str(grades[grade]))
    console.print(table)
    if missing:
        console.print(
            f"[yellow]{len(missing)} photo file(s) missing from storage, left as they "
            "were:[/yellow]"
        )
        for path in missing[:20]:
            console.print(f"  {path}")


@pricing_app.command("import")
def pricing_import(
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
    from haat.core.db import Database, session_scope
    from haat.pricing.importing import InvalidRateFile, parse_rates, store_rates

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

    async def run() -> None:
        db = Database(settings.database_url, null_pool=True)
        try:
            with _progress_bar() as bar:
                task = bar.add_task(f"importing {file.name}", total=len(rates))
                async with session_scope(db) as session:
                    result = await store_rates(session, rates, None, lambda n: bar.advance(task, n))
        finally:
            await db.dispose()
        console.print(f"[green]{result.created} rate(s) added, {result.updated} replaced[/green]")
        for repriced in result.repriced:
            console.print(
                f"{repriced.metal.value}: {repriced.products} product(s) re-priced, "
                f"{repriced.cart_lines} cart line(s) moved to the new price"
            )

    asyncio.run(run())


@pricing_app.command("seed")
def pricing_seed() -> None:
    """Store the packaged monthly gold rates (1973 on, INR per gram; idempotent) and
    re-price gold jewellery. No silver or platinum series ships: enter or import those."""
    from haat.core.db import Database, session_scope
    from haat.pricing.seed import seed_gold_rates

    settings = get_settings()

    async def run() -> int:
        db = Database(settings.database_url, null_pool=True)
        try:
            async with session_scope(db) as session:
                return await seed_gold_rates(session)
        finally:
            await db.dispose()

    console.print(f"[green]{asyncio.run(run())} gold rate(s) added[/green]")


@assistant_app.command("index")
def assistant_index() -> None:
    """Compute the sentence embeddings of approved products for the assistant's re-rank
    (new and changed products only; vectors of products no longer approved are dropped).
    Needs the `ai` extra; without it, says so and changes nothing."""
    from haat.assistant import embeddings
    from haat.core.db import Database, session_scope

    settings = get_settings()
    if not embeddings.available():
        console.print(
            "[yellow]The ai extra is not installed (pip install -e '.[ai]'): the assistant "
            "ranks by full-text search alone; nothing to index.[/yellow]"
        )
        return

    async def run() -> embeddings.IndexResult:
        db = Database(settings.database_url, null_pool=True)
        model = embeddings.embedder(settings.assistant_torch_threads)
        try:
            with _progress_bar() as bar:
                task = bar.add_task("embedding products", total=None)

                def progress(total: int) -> Callable[[int], None]:
                    bar.update(task, total=total)
                    return lambda n: bar.advance(task, n)

                return await embeddings.build_index(lambda: session_scope(db), model, progress)
        finally:
            await db.dispose()

    result = asyncio.run(run())
    console.print(
        f"[green]{result.computed} product vector(s) computed, {result.unchanged} already "
        f"current, {result.removed} removed ({embeddings.MODEL_NAME})[/green]"
    )
