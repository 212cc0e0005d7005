"""The public side of the programme: the printable plaque."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from lyushunkou.models import User
from tests.units.public_helpers import (
    expected_matrix,
    plaque_path,
    svg_matrix,
)
from units import services
from units.models import Unit

pytestmark = pytest.mark.django_db


# --- The printable plaque ------------------------------------------------------------------------


def test_the_printable_plaque_has_title_number_validity_qr_and_issuer(
    approved: Unit, client: Client
) -> None:
    response = client.get(reverse("plaque-print", args=[approved.public_id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="plaque-title"' in html
    assert approved.name in html
    assert approved.certificate_no in html
    assert approved.certified_until is not None
    assert approved.certified_until.isoformat() in html
    assert "<svg" in html
    assert 'role="img" aria-label=' in html
    assert "http://testserver" + plaque_path(approved) in html
    assert "css/plaque.css" in html
    assert "<script" not in html  # printing needs no script; a strict CSP is coming
    assert " onclick" not in html


def test_the_inline_qr_on_the_printable_plaque_encodes_the_plaque_url(
    approved: Unit, client: Client
) -> None:
    html = client.get(reverse("plaque-print", args=[approved.public_id])).content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S)
    assert svg
    url = "http://testserver" + plaque_path(approved)
    assert svg_matrix(svg.group(0)) == expected_matrix(url)


def test_the_printable_plaque_comes_in_a5(approved: Unit, client: Client) -> None:
    html = client.get(reverse("plaque-print", args=[approved.public_id]) + "?size=a5").content
    assert b"plaque--a5" in html


def test_a_revoked_unit_cannot_print_a_plaque(
    approved: Unit, district_staff: User, client: Client
) -> None:
    services.unit_revoke(unit=approved, by=district_staff, reason="整改不到位")
    response = client.get(reverse("plaque-print", args=[approved.public_id]))
    assert response.status_code == 302
    assert response["Location"] == plaque_path(approved)
