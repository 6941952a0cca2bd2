"""A live uvicorn serving the suite's test database on a free loopback port, for the tests
that need a real server (Schemathesis, the browser journeys)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from haat.config import Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_server(settings: Settings, **env: str) -> Iterator[str]:
    """Run the app until the block ends; yields its base URL. ``env`` adds settings."""
    port = free_port()
    environment = {
        **os.environ,
        "HAAT_ENV": "test",
        "DATABASE_URL": settings.database_url,
        "SECRET_KEY": settings.secret_key,
        "UPLOAD_DIR": str(settings.upload_dir),
        "MODEL_DIR": str(settings.model_dir),
        # As in the suite's settings: every prediction checks the registry, which tests change.
        "ML_RELOAD_INTERVAL_S": str(settings.ml_reload_interval_s),
        "LOG_LEVEL": "WARNING",
        **env,
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "haat.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=environment,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        # A minute: on a loaded machine (parallel test workers) importing the app is slow.
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the live server did not start") from None
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
