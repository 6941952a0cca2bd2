"""Where uploaded files live: a folder served under `/media/` (local disk by default)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path, PurePosixPath


class LocalStorage:
    """Files under ``root``, addressed by relative POSIX keys such as ``products/<id>/a.jpg``."""

    def __init__(self, root: Path, base_url: str = "/media/") -> None:
        self.root = root
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"

    def _path(self, key: str) -> Path:
        rel = PurePosixPath(key)
        if rel.is_absolute() or ".." in rel.parts:
            raise ValueError(f"unsafe storage key {key!r}")
        return self.root.joinpath(*rel.parts)

    def save(self, key: str, data: bytes) -> None:
        """Write ``data`` atomically (temporary file, then rename)."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def read(self, key: str) -> bytes:
        """The stored bytes; raises ``FileNotFoundError`` when nothing is stored at ``key``."""
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def url(self, key: str) -> str:
        return self.base_url + key
