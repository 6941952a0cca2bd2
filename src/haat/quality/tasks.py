"""Background job of photo quality: the optional provider's craftsmanship note.

Queued by the upload (`queue_note`) only when a provider is configured, and sent after the
upload's commit (`core/tasks.py`). Its outcome is written on the photo's grade row
(``note_status``: queued -> succeeded | failed, with the note or the error); a failure also
marks the job failed. The upload itself never waits for it.
"""

from __future__ import annotations

import uuid
from typing import Any

import anyio.to_thread
from sqlalchemy.ext.asyncio import AsyncSession

from haat.core.db import Database, session_scope, utcnow
from haat.core.storage import LocalStorage
from haat.core.tasks import JobRunner, TaskContext, enqueue, task
from haat.identity.actor import Actor
from haat.quality import repository
from haat.quality.models import NoteStatus, PhotoGrade
from haat.quality.provider import configured, request_note

TASK_NAME = "quality.craftsmanship_note"


async def queue_note(
    session: AsyncSession,
    runner: JobRunner,
    actor: Actor,
    grade: PhotoGrade,
    *,
    path: str,
    content_type: str,
    title: str,
    language: str,
) -> bool:
    """Queue a craftsmanship note for the graded photo at storage key ``path`` when a
    provider is configured (returns whether it did). Marks the grade's note ``queued``;
    the job is sent after the caller's commit. Flushes; never commits."""
    if not configured(runner.settings):
        return False
    grade.note_status, grade.note_updated_at = NoteStatus.QUEUED, utcnow()
    await enqueue(
        session,
        runner,
        TASK_NAME,
        requested_by=actor.user_id,
        image_id=str(grade.image_id),
        path=path,
        content_type=content_type,
        title=title,
        language=language,
    )
    return True


@task(TASK_NAME)
async def craftsmanship_note(
    ctx: TaskContext, image_id: str, path: str, content_type: str, title: str, language: str
) -> dict[str, Any]:
    """Ask the provider for the note and store it; on any failure store the error and
    raise (the job is then marked failed). A photo deleted meanwhile is skipped."""
    key = uuid.UUID(image_id)
    async with ctx.db.session() as session:
        if await repository.get_grade(session, key) is None:
            return {"image_id": image_id, "skipped": "the photo was deleted"}
    storage = LocalStorage(ctx.settings.upload_dir, ctx.settings.media_url)
    try:
        data = await anyio.to_thread.run_sync(storage.read, path)
        note = await request_note(ctx.settings, data, content_type, title=title, language=language)
    except Exception as exc:
        await _store(ctx.db, key, NoteStatus.FAILED, error=str(exc) or type(exc).__name__)
        raise
    await _store(
        ctx.db, key, NoteStatus.SUCCEEDED, note=note, model=ctx.settings.quality_provider_model
    )
    return {"image_id": image_id, "status": "succeeded", "characters": len(note)}


async def _store(
    db: Database,
    image_id: uuid.UUID,
    status: NoteStatus,
    *,
    note: str | None = None,
    model: str | None = None,
    error: str | None = None,
) -> None:
    async with session_scope(db) as session:
        row = await repository.get_grade(session, image_id)
        if row is None:
            return
        row.note_status, row.note_updated_at = status, utcnow()
        row.note, row.note_model, row.note_error = note, model, error[:1000] if error else None
