"""WeasyPrint's URL fetcher reads the project's static files and nothing else (issue 8): no other
file on the machine, nothing from the network, no big inline data."""

from __future__ import annotations

import base64
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from pypdf import PdfReader
from weasyprint import HTML  # type: ignore[import-untyped]

from lyushunkou.pdf import StaticFilesFetcher, static_file_url
from scoring.reports.render import DATA_URL_MAX_BYTES, STYLESHEET, RefusedURL

ROOT = Path(settings.BASE_DIR)
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture
def fetcher() -> StaticFilesFetcher:
    return StaticFilesFetcher()


def test_the_reports_stylesheet_is_read_from_the_static_files(fetcher: StaticFilesFetcher) -> None:
    url = static_file_url(STYLESHEET)
    response = fetcher.fetch(url)
    assert response.read() == (ROOT / "static" / STYLESHEET).read_bytes()
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        (ROOT / "manage.py").as_uri(),
        (ROOT / "lyushunkou" / "settings.py").as_uri(),
        (ROOT / "static").as_uri() + "/../manage.py",
        (ROOT / "static").as_uri() + "/%2e%2e/manage.py",
        "file://otherhost" + str(ROOT / "static" / STYLESHEET),
        "http://127.0.0.1:1/static/scoring/reports/report.css",
        "https://example.com/logo.png",
        "ftp://example.com/file.css",
        "data:text/html,<script>alert(1)</script>",
        "data:image/png;base64," + base64.b64encode(b"\0" * (DATA_URL_MAX_BYTES + 1)).decode(),
    ],
)
def test_anything_else_is_refused(fetcher: StaticFilesFetcher, url: str) -> None:
    with mock.patch("urllib.request.OpenerDirector.open") as network, pytest.raises(RefusedURL):
        fetcher.fetch(url)
    network.assert_not_called()


def test_a_symbolic_link_out_of_the_static_files_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "static"
    root.mkdir()
    (root / "ok.css").write_text("p { color: red }")
    (root / "escape.css").symlink_to(ROOT / "manage.py")
    fetcher = StaticFilesFetcher(roots=[root])
    assert fetcher.fetch((root / "ok.css").as_uri()).read() == b"p { color: red }"
    with pytest.raises(RefusedURL):
        fetcher.fetch((root / "escape.css").as_uri())


def test_a_small_inline_image_is_allowed(fetcher: StaticFilesFetcher) -> None:
    url = "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert fetcher.fetch(url).read() == PNG


def test_a_document_that_points_elsewhere_renders_without_what_it_points_to(
    tmp_path: Path,
) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    html = f"""<html><head>
      <link rel="stylesheet" href="https://example.com/evil.css">
      <link rel="stylesheet" href="{static_file_url(STYLESHEET)}">
      </head><body><p>正文</p>
      <img src="{secret.as_uri()}"><img src="http://127.0.0.1:1/x.png">
      <img src="data:image/png;base64,{base64.b64encode(PNG).decode()}">
      </body></html>"""
    seen: list[str] = []
    fetcher = StaticFilesFetcher()
    real = fetcher.fetch

    def spy(url: str, headers: object = None) -> object:
        seen.append(url)
        return real(url, headers)

    with (
        mock.patch.object(fetcher, "fetch", side_effect=spy),
        mock.patch("urllib.request.OpenerDirector.open") as network,
    ):
        content = HTML(string=html, url_fetcher=fetcher).write_pdf(tmp_path / "out.pdf")
    assert content is None
    network.assert_not_called()
    assert secret.as_uri() in seen
    assert "https://example.com/evil.css" in seen
    images = PdfReader(tmp_path / "out.pdf").pages[0].images
    assert len(images) == 1  # the inline image only; the file outside static/ was not read
