"""The PDFs' Chinese is set in Simplified Chinese faces, whichever CJK fonts the machine has.

Noto Sans CJK ships one file with the Japanese, Korean, Simplified and Traditional Chinese faces;
a PDF that picks the Japanese one prints Chinese with Japanese glyph forms. Each case renders the
certificate and a report in a fresh process whose fontconfig sees only one CJK package (Debian's
``fonts-noto-cjk`` or ``fonts-wqy-zenhei``) plus DejaVu, as a machine with only that package
would, and reads the faces embedded in the PDFs (tests.helpers.font_kind tells them apart).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scoring import periods
from scoring.reports import render as report_render
from scoring.reports.data import gather
from tests.helpers import font_kind

ROOT = Path(__file__).resolve().parent.parent
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
CJK_PACKAGES = {
    "fonts-noto-cjk": Path("/usr/share/fonts/opentype/noto"),
    "fonts-wqy-zenhei": Path("/usr/share/fonts/truetype/wqy"),
}

RENDER = """
import io, json, os, sys
from pathlib import Path

import django

django.setup()
from django.conf import settings
from pypdf import PdfReader
from weasyprint import HTML

from lyushunkou.pdf import StaticFilesFetcher
from units.certificate import CertificateData, render_certificate

certificate = render_certificate(CertificateData(
    number="LSK-2026-0001", unit_name="旅顺老街海鲜馆", credit_code="91210212MA0000000X",
    valid_from="2026-01-01", valid_until="2026-12-31", plaque_url="https://example.invalid/p/1",
))
base = Path(os.path.realpath(settings.BASE_DIR / "static")).as_uri() + "/"
report = HTML(
    string=Path(sys.argv[1]).read_text(encoding="utf-8"), base_url=base,
    url_fetcher=StaticFilesFetcher(),
).write_pdf()
faces = {}
for name, pdf in (("certificate", certificate), ("report", report)):
    found = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            found.add(str(font.get_object()["/BaseFont"]))
    faces[name] = sorted(found)
print("FACES", json.dumps(faces))
"""


def fontconfig_with(tmp_path: Path, folders: list[Path]) -> Path:
    """A fontconfig file that sees only ``folders``, with the system's rules (conf.d)."""
    dirs = "".join(f"<dir>{folder}</dir>" for folder in folders)
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">'
        f"<fontconfig>{dirs}<cachedir>{tmp_path / 'cache'}</cachedir>"
        '<include ignore_missing="yes">/etc/fonts/conf.d</include></fontconfig>',
        encoding="utf-8",
    )
    return config


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("package", sorted(CJK_PACKAGES))
def test_the_pdfs_embed_only_simplified_chinese_faces(package: str, tmp_path: Path) -> None:
    folder = CJK_PACKAGES[package]
    if not folder.is_dir():
        pytest.skip(f"{package} is not installed ({folder})")
    data = gather(kind="monthly", period=periods.parse("2025-06"), scope_code="district")
    html = tmp_path / "report.html"
    html.write_text(report_render.render_html(data), encoding="utf-8")
    env = {
        **os.environ,
        "FONTCONFIG_FILE": str(fontconfig_with(tmp_path, [DEJAVU, folder])),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)  # rendering reads no database
    result = subprocess.run(
        [sys.executable, "-c", RENDER, str(html)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    faces = json.loads(result.stdout.split("FACES", 1)[1])
    for document, names in faces.items():
        cjk = [name for name in names if font_kind(name) == "sc"]
        others = [name for name in names if font_kind(name) == "other-cjk"]
        assert cjk, f"{document}: no Simplified Chinese face among {names}"
        assert others == [], f"{document}: other CJK faces {others}"
