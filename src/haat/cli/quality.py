"""`haat quality`: photo quality grading."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

import typer
from rich.table import Table

from haat.cli.common import console, progress_bar, with_database
from haat.config import get_settings
from haat.core.db import Database, session_scope

app = typer.Typer(help="Photo quality grading.", no_args_is_help=True)


@app.command("regrade")
def regrade(
    everything: Annotated[
        bool, typer.Option("--all", help="re-grade every photo, not only outdated ones")
    ] = False,
    batch: Annotated[int, typer.Option(min=1, help="photos per transaction")] = 50,
) -> None:
    """Grade the stored product photos again: those never graded or graded by another
    model version (all of them with --all). Craftsmanship notes are kept. Commits every
    batch, so an interrupted run resumes where it stopped."""
    from haat.catalog.photo_quality import images_to_grade, regrade_image
    from haat.core.storage import LocalStorage
    from haat.quality.grading import MODEL_VERSION

    settings = get_settings()
    storage = LocalStorage(settings.upload_dir, settings.media_url)
    grades: Counter[str] = Counter()
    missing: list[str] = []

    async def run(db: Database) -> None:
        async with db.session(write=False) as session:
            todo = await images_to_grade(session, everything=everything)
        with progress_bar() as bar:
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

    with_database(settings, run)
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
