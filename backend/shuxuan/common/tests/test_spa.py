"""The built SPA as the browser gets it: compressed when asked, hashed assets cached a year, index.html never."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from django.test import Client, override_settings

ASSET = "/assets/index-AbC_12-z.js"
BODY = b"console.log('shuxuan');" * 200


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><div id=root></div>")
    (tmp_path / "favicon.svg").write_text("<svg/>")
    asset = tmp_path / ASSET.lstrip("/")
    asset.write_bytes(BODY)
    asset.with_name(asset.name + ".gz").write_bytes(gzip.compress(BODY))
    asset.with_name(asset.name + ".br").write_bytes(b"brotli-bytes")
    return tmp_path


def _client(_dist: Path) -> Client:
    # WhiteNoise reads WHITENOISE_ROOT when the middleware is built, i.e. on a new client's first request.
    return Client()


@pytest.mark.django_db
def test_hashed_assets_are_immutable_for_a_year_and_served_compressed(dist: Path):
    with override_settings(WHITENOISE_ROOT=dist, SPA_DIST_DIR=dist):
        client = _client(dist)
        brotli = client.get(ASSET, headers={"accept-encoding": "gzip, deflate, br"})
        gzipped = client.get(ASSET, headers={"accept-encoding": "gzip"})
        plain = client.get(ASSET)

    assert brotli.status_code == 200
    assert brotli["Cache-Control"] == "public, max-age=31536000, immutable"
    assert brotli["Content-Encoding"] == "br"
    assert b"".join(brotli.streaming_content) == b"brotli-bytes"  # type: ignore[attr-defined]
    assert "Accept-Encoding" in brotli["Vary"]
    assert gzipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(gzipped.streaming_content)) == BODY  # type: ignore[attr-defined]
    assert plain.get("Content-Encoding") is None
    assert b"".join(plain.streaming_content) == BODY  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_index_html_is_never_cached_whichever_way_it_is_asked_for(dist: Path):
    with override_settings(WHITENOISE_ROOT=dist, SPA_DIST_DIR=dist):
        client = _client(dist)
        route = client.get("/catalog/products")
        direct = client.get("/index.html")
        favicon = client.get("/favicon.svg")

    assert route.status_code == 200
    assert route["Cache-Control"] == "no-cache"
    assert direct.status_code == 200
    assert direct["Cache-Control"] == "no-cache"
    # An unhashed file keeps WhiteNoise's short default: it can change under the same name.
    assert favicon["Cache-Control"] == "max-age=60, public"
