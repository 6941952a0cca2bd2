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


def test_precompressed_copies_are_the_files() -> None:
    import gzip

    import brotli

    for name in json.loads((VENDOR / "MANIFEST.json").read_text()):
        data = (VENDOR / name).read_bytes()
        assert brotli.decompress((VENDOR / f"{name}.br").read_bytes()) == data, name
        assert gzip.decompress((VENDOR / f"{name}.gz").read_bytes()) == data, name


async def test_precompressed_copy_is_sent_by_accepted_encoding(client: httpx.AsyncClient) -> None:
    path = "/static/web/vendor/plotly-haat.min.js"
    plain = (VENDOR / "plotly-haat.min.js").read_bytes()
    for accept, encoding, suffix in (
        ("gzip, deflate, br, zstd", "br", ".br"),
        ("gzip", "gzip", ".gz"),
        ("br;q=0, gzip;q=0.8", "gzip", ".gz"),
    ):
        response = await client.get(path, headers={"Accept-Encoding": accept})
        assert response.status_code == 200
        assert response.headers["content-encoding"] == encoding, accept
        assert response.headers["content-type"].startswith("text/javascript")
        assert "accept-encoding" in response.headers["vary"].lower()
        assert (
            response.num_bytes_downloaded == (VENDOR / f"plotly-haat.min.js{suffix}").stat().st_size
        )
        assert response.content == plain  # httpx decodes it
    identity = await client.get(path, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in identity.headers and identity.content == plain
