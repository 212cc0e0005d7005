"""QR codes for demonstration plaques, and how the plaque shows a unit's standing.

The QR code encodes only the plaque page's absolute URL. The status is never in the code: it is
computed when the page is opened, so a plaque printed a year ago still tells the truth today.
"""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from units.models import Unit

# Error correction "m" (15%) is the floor; segno raises it for free when the data leaves room in
# the same version (boost_error), which helps plaques that hang in kitchens and market stalls.
QR_ERROR = "m"
# Four modules of quiet zone is what ISO/IEC 18004 asks for; readers fail more often with less.
QR_BORDER = 4
QR_PNG_SCALE = 10  # pixels per module: ~330 px for a typical plaque URL, crisp when printed
QR_SVG_SCALE = 8

# plaque_status() → (label, Bootstrap contextual colour)
PLAQUE_STATUS_DISPLAY: dict[str, tuple[str | Promise, str]] = {
    "valid": (_("Valid"), "success"),
    "warning": (_("Warning"), "warning"),
    "revoked": (_("Revoked"), "danger"),
    "expired": (_("Expired"), "secondary"),
}
# Only these may print a plaque; the others are no longer demonstration units.
PRINTABLE_STATUSES = frozenset({"valid", "warning"})


def plaque_url(request: HttpRequest, unit: Unit) -> str:
    """The absolute address of the unit's plaque page, as printed in its QR code.

    ``PUBLIC_BASE_URL`` (scheme and host) wins when set, so that a plaque printed from an
    intranet address still points at the public site.
    """
    path = reverse("plaque", args=[unit.public_id])
    base: str = settings.PUBLIC_BASE_URL
    if base:
        return base + path
    return request.build_absolute_uri(path)


def qr_code(url: str) -> segno.QRCode:
    # make_qr, never a Micro QR: many phone scanners cannot read those.
    return segno.make_qr(url, error=QR_ERROR)


def qr_svg(url: str, *, inline: bool = False) -> str:
    """The QR code as SVG: a standalone document, or (``inline``) an element for HTML.

    The inline form has only a viewBox, so CSS sizes it to the plaque.
    """
    qr = qr_code(url)
    if inline:
        return str(qr.svg_inline(border=QR_BORDER, omitsize=True, svgclass="plaque-qr-svg"))
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=QR_SVG_SCALE, border=QR_BORDER, xmldecl=True)
    return buffer.getvalue().decode("utf-8")


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="png", scale=QR_PNG_SCALE, border=QR_BORDER)
    return buffer.getvalue()
