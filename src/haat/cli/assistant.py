"""`haat assistant`: the shopping assistant's index."""

from __future__ import annotations

from collections.abc import Callable

import typer

from haat.cli.common import console, progress_bar, with_database
from haat.config import get_settings
from haat.core.db import Database, session_scope

app = typer.Typer(help="The shopping assistant.", no_args_is_help=True)


@app.command("index")
def index() -> None:
    """Compute the sentence embeddings of approved products for the assistant's re-rank
    (new and changed products only; vectors of products no longer approved are dropped).
    Needs the `ai` extra; without it, says so and changes nothing."""
    from haat.assistant import embeddings

    settings = get_settings()
    if not embeddings.available():
        console.print(
            "[yellow]The ai extra is not installed (pip install -e '.[ai]'): the assistant "
            "ranks by full-text search alone; nothing to index.[/yellow]"
        )
        return

    async def build(db: Database) -> embeddings.IndexResult:
        model = embeddings.embedder(settings.assistant_torch_threads)
        with progress_bar() as bar:
            task = bar.add_task("embedding products", total=None)

            def progress(total: int) -> Callable[[int], None]:
                bar.update(task, total=total)
                return lambda n: bar.advance(task, n)

            return await embeddings.build_index(lambda: session_scope(db), model, progress)

    result = with_database(settings, build)
    console.print(
        f"[green]{result.computed} product vector(s) computed, {result.unchanged} already "
        f"current, {result.removed} removed ({embeddings.MODEL_NAME})[/green]"
    )
