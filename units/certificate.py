"""The electronic demonstration certificate (电子证书): a one-page PDF, regenerated, never edited.

The PDF is rendered from the current records on every download (no file is stored that anyone
could edit or that could drift from the register): certificate number, unit name and credit code,
validity, and a QR code holding the live plaque page's address, so whoever scans a printed copy
sees the unit's status today. WeasyPrint loads nothing but the project's static files and the QR
code's small inline image (``lyushunkou.pdf``). The text is Chinese whatever the reader's language.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from lyushunkou.pdf import FONT_FAMILY, StaticFilesFetcher
from units.models import ApplicationStatus, DemonstrationApplication, DemonstrationStatus
from units.plaque import qr_png

CERTIFICATE_LANGUAGE = "zh-hans"
TEMPLATE = "units/certificate/certificate.html"


@dataclass(frozen=True)
class CertificateData:
    """Everything the certificate shows, read before rendering (rendering runs no query)."""

    number: str
    unit_name: str
    credit_code: str
    valid_from: str
    valid_until: str
    plaque_url: str


def certificate_available(application: DemonstrationApplication) -> bool:
    """Only the unit's current certificate can be downloaded: issued, not superseded by a later
    one, and the unit still a demonstration unit (a revoked unit's plaque page says so)."""
    unit = application.unit
    return (
        application.status == ApplicationStatus.APPROVED
        and bool(application.certificate_no)
        and application.certificate_no == unit.certificate_no
        and unit.demonstration_status in (DemonstrationStatus.APPROVED, DemonstrationStatus.WARNING)
    )


def certificate_data(application: DemonstrationApplication, *, plaque_url: str) -> CertificateData:
    assert application.valid_from is not None and application.valid_until is not None
    return CertificateData(
        number=application.certificate_no,
        unit_name=application.unit.name,
        credit_code=application.unit.credit_code,
        valid_from=application.valid_from.isoformat(),
        valid_until=application.valid_until.isoformat(),
        plaque_url=plaque_url,
    )


def render_certificate(data: CertificateData) -> bytes:
    """The certificate as PDF bytes: one A4 page."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy: loaded on first use

    qr = base64.b64encode(qr_png(data.plaque_url)).decode("ascii")
    with translation.override(CERTIFICATE_LANGUAGE):
        html = render_to_string(
            TEMPLATE,
            {"c": data, "qr_data_url": f"data:image/png;base64,{qr}", "font_family": FONT_FAMILY},
        )
    base = Path(os.path.realpath(settings.BASE_DIR / "static")).as_uri() + "/"
    content: bytes | None = HTML(
        string=html, base_url=base, url_fetcher=StaticFilesFetcher()
    ).write_pdf()
    assert content is not None
    return content
