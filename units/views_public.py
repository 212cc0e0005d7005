"""The public side, no login: plaque pages, printable plaques, QR codes and the directory."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from units.access import public_unit
from units.plaque import (
    PLAQUE_STATUS_DISPLAY,
    PRINTABLE_STATUSES,
    plaque_url,
    qr_png,
    qr_svg,
)
from units.selectors_notice import unit_notice
from units.selectors_public import (
    DIRECTORY_PAGE_SIZE,
    DirectoryFilter,
    directory_units,
    plaque_commitments,
    plaque_station,
)

QR_CONTENT_TYPES = {"svg": "image/svg+xml", "png": "image/png"}
# The QR code only encodes the plaque page's address, which never changes for a unit.
QR_MAX_AGE = 24 * 60 * 60


# A unit approved but not yet certified is shown in public notice (公示中): its own status
# is still "none", so the plaque says so from its application.
STATUS_DISPLAY = {**PLAQUE_STATUS_DISPLAY, "notice": (_("In public notice"), "info")}


def _status_context(status: str) -> dict[str, object]:
    label, colour = STATUS_DISPLAY[status]
    return {"status": status, "status_label": label, "status_colour": colour}


# The status is computed at request time; private because logged-in users see their name in the
# header, no-cache so that no cache serves a plaque that was revoked since.
@require_GET
@cache_control(no_cache=True, max_age=0, private=True)
def plaque(request: HttpRequest, public_id: str) -> HttpResponse:
    unit = public_unit(public_id)
    notice = unit_notice(unit)
    status = unit.plaque_status()
    if status == "none":
        status = "notice"  # public_unit lets a unit without status through only when in notice
    current = status in PRINTABLE_STATUSES
    context = {
        "unit": unit,
        **_status_context(status),
        "current": current,
        "notice": notice,
        "notice_label": STATUS_DISPLAY["notice"][0],
        # A revoked or expired unit no longer stands behind the programme's commitments.
        "commitments": plaque_commitments(unit) if current else [],
        "station": plaque_station(unit) if current else None,
    }
    return render(request, "units/public/plaque.html", context)


@require_GET
@cache_control(no_cache=True, max_age=0, private=True)
def plaque_print(request: HttpRequest, public_id: str) -> HttpResponse:
    unit = public_unit(public_id)
    if unit.plaque_status() not in PRINTABLE_STATUSES:
        # No fresh plaque for a unit that is no longer a demonstration unit; its page says why.
        return redirect("plaque", public_id=unit.public_id)
    url = plaque_url(request, unit)
    context = {
        "unit": unit,
        "plaque_url": url,
        # segno builds this SVG from the URL's bits only: no text from the request is in it.
        "qr_svg": mark_safe(qr_svg(url, inline=True)),  # noqa: S308
        "size": "a5" if request.GET.get("size") == "a5" else "a4",
    }
    return render(request, "units/public/plaque_print.html", context)


@require_GET
@cache_control(public=True, max_age=QR_MAX_AGE)
def plaque_qr(request: HttpRequest, public_id: str, fmt: str) -> HttpResponse:
    if fmt not in QR_CONTENT_TYPES:
        raise Http404("Unknown format.")
    unit = public_unit(public_id)
    url = plaque_url(request, unit)
    body: bytes | str = qr_svg(url) if fmt == "svg" else qr_png(url)
    response = HttpResponse(body, content_type=QR_CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'inline; filename="plaque-{unit.public_id}.{fmt}"'
    return response


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    filterset = DirectoryFilter(request.GET or None, queryset=directory_units(today=today))
    page = Paginator(filterset.qs, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    entries = [(unit, _status_context(unit.plaque_status(today))) for unit in page]
    return render(
        request,
        "units/public/directory.html",
        {"filter": filterset, "page": page, "entries": entries},
    )
