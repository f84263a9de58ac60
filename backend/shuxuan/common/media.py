"""Uploaded files a page shows to anyone (product images) are served here; everything else under MEDIA_ROOT
(order imports, reconciliation evidence) is never served by URL, only through a view that checks who asks.

Served by Django itself so `make run` and the compose deployment show product images without a separate file
server; put a CDN or the proxy's cache in front for real traffic.
"""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest
from django.views.static import serve

# Path prefixes (relative to MEDIA_ROOT) that are public by design: a product's images appear on the selection
# center for every anchor. catalog/models.py `_image_path` writes under catalog/.
PUBLIC_MEDIA_PREFIXES = ("catalog/",)
PUBLIC_MEDIA_CACHE = "public, max-age=86400"


def public_media(request: HttpRequest, path: str) -> FileResponse:
    if not path.startswith(PUBLIC_MEDIA_PREFIXES) or ".." in path.split("/"):
        raise Http404("not a public file")
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    response["Cache-Control"] = PUBLIC_MEDIA_CACHE
    return response
