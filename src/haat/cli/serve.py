"""`haat serve` and `haat worker`: the web app and the background job worker."""

from __future__ import annotations

import signal
import threading
from typing import Annotated

import typer

from haat.cli.common import console
from haat.config import get_settings


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


def worker() -> None:
    """Run queued background jobs from Redis (needs REDIS_URL; without it the app runs its
    jobs in-process and no worker is needed). Stops cleanly on Ctrl-C / SIGTERM."""
    import dramatiq

    import haat.app  # noqa: F401  (imports every module, so every task is registered)
    from haat.core.tasks import JobRunner

    settings = get_settings()
    if not settings.redis_url:
        raise typer.BadParameter("set REDIS_URL: without it jobs run inside `haat serve`")
    runner = JobRunner(settings)
    runner.declare_all()
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    worker_ = dramatiq.Worker(runner.broker, worker_threads=2)
    worker_.start()
    console.print(f"[green]worker running tasks from {settings.redis_url}[/green]")
    stop.wait()
    worker_.stop(timeout=30_000)
