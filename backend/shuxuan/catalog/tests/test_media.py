"""Product images are served at their /media/ URL; private uploads never are, whatever the path."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from shuxuan.catalog.tests.conftest import client_for, make_product
from shuxuan.catalog.tests.test_api import PNG


@pytest.mark.django_db
def test_an_uploaded_product_image_is_served_at_its_url(cast, settings, tmp_path: Path):
    settings.MEDIA_ROOT = tmp_path
    product = make_product(cast.owner)
    response = client_for(cast.owner).post(
        reverse("catalog-product-images", args=[product.pk]),
        {"file": SimpleUploadedFile("cover.png", PNG, content_type="image/png")},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    url = response.json()["url"]
    assert url.startswith("/media/catalog/")

    image = Client().get(url)  # anonymous: a product image is public by design

    assert image.status_code == 200
    assert b"".join(image.streaming_content) == PNG  # type: ignore[attr-defined]
    assert image["Content-Type"] == "image/png"
    assert image["Cache-Control"] == "public, max-age=86400"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "reconciliation/evidence/2026/12/bank.pdf",
        "orders/imports/generic/abc",
        "catalog/../reconciliation/evidence/2026/12/bank.pdf",
        "catalog/1/2/missing.png",
    ],
)
def test_private_or_missing_files_answer_404(settings, tmp_path: Path, path: str):
    settings.MEDIA_ROOT = tmp_path
    for private in ("reconciliation/evidence/2026/12/bank.pdf", "orders/imports/generic/abc"):
        (tmp_path / private).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / private).write_bytes(b"secret")

    response = Client().get(f"/media/{path}")

    assert response.status_code == 404
    assert b"secret" not in response.content
