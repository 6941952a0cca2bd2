"""Model artefacts on disk, saved with skops (no bare pickle) under ``MODEL_DIR``.

`load` gives skops the spec's explicit list of trusted types; anything else in a file makes
it refuse (`skops.io.exceptions.UntrustedTypesFoundException`), and a file whose SHA-256 no
longer matches its registry row is refused before it is parsed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import skops.io as sio


class ArtefactMismatch(Exception):
    """The artefact file differs from the one the registry recorded."""


def save(model_dir: Path, relative: str, artefact: dict[str, Any]) -> str:
    """Write ``artefact`` to ``model_dir / relative`` (parents created); returns its SHA-256
    (hex). The file is written beside and renamed, so a reader never sees half of it."""
    path = model_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    data = sio.dumps(artefact)
    partial = path.with_suffix(path.suffix + ".part")
    partial.write_bytes(data)
    partial.replace(path)
    return hashlib.sha256(data).hexdigest()


def load(model_dir: Path, relative: str, sha256: str, trusted: Sequence[str]) -> dict[str, Any]:
    """Read the artefact at ``model_dir / relative``; raises `FileNotFoundError`,
    `ArtefactMismatch` (checksum) or skops' untrusted-types error."""
    data = (model_dir / relative).read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ArtefactMismatch(f"{relative} does not match its registry checksum")
    artefact = sio.loads(data, trusted=list(trusted))
    if not isinstance(artefact, dict):
        raise ArtefactMismatch(f"{relative} does not hold a model artefact")
    return artefact
