"""The vendored files are the ones scripts/vendor_web_assets.sh built (MANIFEST.json), carry
their licences, and load from the app, never from a CDN."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import httpx

VENDOR = Path(__file__).resolve().parents[2] / "src/haat/web/static/vendor"
TEMPLATES = VENDOR.parent.parent / "templates"


def test_vendored_files_match_the_manifest() -> None:
    manifest = json.loads((VENDOR / "MANIFEST.json").read_text())
    assert set(manifest) == {
        "htmx.min.js",
        "plotly-haat.min.js",
        "plotly-haat.css",
        "socket.io.min.js",
    }
    for name, entry in manifest.items():
        data = (VENDOR / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], name
        licence = entry["licence"].split()[0]
        assert (VENDOR / licence).stat().st_size > 100, licence


def test_no_asset_from_another_host() -> None:
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for url in re.findall(r'(?:src|href)="([^"]+)"', text):
            assert not url.startswith(("http:", "https:", "//")) or "wa.me/" in url, (
                template,
                url,
            )


async def test_assets_are_served_compressed(client: httpx.AsyncClient) -> None:
    for path in ("/static/web/vendor/htmx.min.js", "/static/web/haat.js", "/static/web/haat.css"):
        response = await client.get(path, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200
        assert response.headers.get("content-encoding") == "gzip", path
