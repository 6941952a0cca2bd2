"""Static files with precompressed copies: ``name.br`` (Brotli) or ``name.gz`` (gzip) beside
a file is sent instead of it, with ``Content-Encoding``, to a browser that accepts that
encoding (Brotli first). The vendored htmx and Plotly files have such copies, made once by
scripts/vendor_web_assets.sh at the best settings, so a page pays neither the bytes of the
plain file nor the CPU of compressing it per request; other files go through the app's
``GZipMiddleware`` (which leaves a response that already has an encoding alone)."""

from __future__ import annotations

import os
import stat

from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers
from starlette.responses import FileResponse, Response
from starlette.types import Scope

ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


def accepted_encodings(header: str) -> set[str]:
    """The codings of an ``Accept-Encoding`` header, without those refused by ``q=0``."""
    codings = set()
    for part in header.lower().split(","):
        name, _, params = part.strip().partition(";")
        q = params.strip().removeprefix("q=") if params.strip().startswith("q=") else "1"
        try:
            if float(q) > 0 and name:
                codings.add(name.strip())
        except ValueError:
            continue
    return codings


class PrecompressedStaticFiles(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code != 200 or not isinstance(response, FileResponse):
            return response
        response.headers["Vary"] = "Accept-Encoding"
        accepted = accepted_encodings(Headers(scope=scope).get("accept-encoding", ""))
        for encoding, suffix in ENCODINGS:
            if encoding not in accepted:
                continue
            full_path, found = self.lookup_path(path + suffix)
            if found is None or not stat.S_ISREG(found.st_mode):
                continue
            return FileResponse(
                os.fspath(full_path),
                stat_result=found,
                media_type=response.media_type,
                headers={"Content-Encoding": encoding, "Vary": "Accept-Encoding"},
            )
        return response
