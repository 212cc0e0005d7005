"""Rendering HTML to PDF safely with WeasyPrint, shared by every app that writes PDFs (reports,
certificates): a URL fetcher that only reads the project's static files and small inline images,
and the CJK font stack (subsets of Noto Sans CJK SC, else WenQuanYi Zen Hei).
"""

from __future__ import annotations

import base64
import logging
import mimetypes
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders

# WeasyPrint logs every layout step at INFO (from its import on); the logs need only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint.urls import (  # type: ignore[import-untyped]  # noqa: E402
    URLFetcher,
    URLFetcherResponse,
)

logger = logging.getLogger(__name__)

# Small inline images are harmless; anything bigger is no business of a generated document.
DATA_URL_MAX_BYTES = 16 * 1024
# Simplified Chinese faces only, the Noto one first: WeasyPrint's SVG text (the reports' charts)
# takes the first family it finds and otherwise fontconfig's default sans-serif, which on a
# machine with only Noto CJK is its Japanese face (tests/test_pdf_fonts.py). The templates also
# say lang="zh-CN", so fontconfig prefers the SC face for HTML text.
FONT_FAMILY = "'Noto Sans CJK SC', 'WenQuanYi Zen Hei', sans-serif"


class RefusedURL(ValueError):
    """A resource a PDF may not load (outside the static files, the network, big data:)."""


# --- The restricted URL fetcher ---------------------------------------------------------------


def static_roots() -> list[Path]:
    """Folders whose files a PDF may load: the collected static files and the folders the
    static-files finders search (the project's ``static/`` and the apps' ``static/``)."""
    roots = [Path(settings.STATIC_ROOT)] if settings.STATIC_ROOT else []
    for entry in settings.STATICFILES_DIRS:
        roots.append(Path(entry[1] if isinstance(entry, tuple) else entry))
    for config in apps.get_app_configs():
        roots.append(Path(config.path) / "static")
    return [Path(os.path.realpath(root)) for root in roots]


def static_file_url(name: str) -> str:
    """The file:// URL of a static file, found as ``{% static %}`` would find it."""
    found = finders.find(name)
    if not found:
        raise RefusedURL(f"No static file {name!r}.")
    path = found[0] if isinstance(found, list) else found
    return Path(path).resolve().as_uri()


class StaticFilesFetcher(URLFetcher):
    """Reads ``file://`` URLs inside the static roots and small ``data:`` images; refuses
    everything else — other files, http(s), ftp — without touching the network."""

    def __init__(self, roots: Iterable[Path] | None = None) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = list(roots) if roots is not None else static_roots()

    def _allowed_path(self, url: str) -> Path:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise RefusedURL(f"Refused {url!r}: a file on another host.")
        path = Path(os.path.realpath(url2pathname(unquote(parts.path))))
        for root in self.roots:
            if path.is_relative_to(root) and path.is_file():
                return path
        raise RefusedURL(f"Refused {url!r}: only the project's static files may be loaded.")

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "file":
            path = self._allowed_path(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
            )
        if scheme == "data":
            return self._data(url)
        logger.warning("PDF rendering refused %s", url[:200])
        raise RefusedURL(f"Refused {url[:100]!r}: PDFs never load anything from the network.")

    @staticmethod
    def _data(url: str) -> URLFetcherResponse:
        if len(url) > DATA_URL_MAX_BYTES * 4 // 3 + 64:
            raise RefusedURL("Refused a data: URL larger than a small inline image.")
        header, _sep, payload = url[5:].partition(",")
        media_type = header.split(";", 1)[0].strip().lower() or "text/plain"
        if not media_type.startswith("image/"):
            raise RefusedURL(f"Refused a data: URL of type {media_type!r}.")
        body = (
            base64.b64decode(payload) if header.endswith(";base64") else unquote(payload).encode()
        )
        if len(body) > DATA_URL_MAX_BYTES:
            raise RefusedURL("Refused a data: URL larger than a small inline image.")
        return URLFetcherResponse(url[:64], body=body, headers={"Content-Type": media_type})
