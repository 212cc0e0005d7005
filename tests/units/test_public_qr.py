"""The public side of the programme: the plaque's QR codes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.units.public_helpers import (
    expected_matrix,
    plaque_path,
    png_matrix,
    svg_matrix,
)
from units.models import Unit

pytestmark = pytest.mark.django_db


# --- QR codes ------------------------------------------------------------------------------------


def test_the_svg_qr_code_encodes_the_plaque_url(approved: Unit, client: Client) -> None:
    response = client.get(reverse("plaque-qr", args=[approved.public_id, "svg"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"] == (
        f'inline; filename="plaque-{approved.public_id}.svg"'
    )
    assert "max-age" in response["Cache-Control"]
    url = "http://testserver" + plaque_path(approved)
    assert svg_matrix(response.content.decode()) == expected_matrix(url)


def test_the_png_qr_code_encodes_the_plaque_url(approved: Unit, client: Client) -> None:
    response = client.get(reverse("plaque-qr", args=[approved.public_id, "png"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == (
        f'inline; filename="plaque-{approved.public_id}.png"'
    )
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    url = "http://testserver" + plaque_path(approved)
    assert png_matrix(response.content) == expected_matrix(url)


def test_an_unknown_qr_format_is_not_found(approved: Unit, client: Client) -> None:
    assert client.get(reverse("plaque-qr", args=[approved.public_id, "gif"])).status_code == 404


def test_the_public_base_url_is_what_the_qr_code_points_to(
    approved: Unit, client: Client, settings: Any
) -> None:
    settings.PUBLIC_BASE_URL = "https://fxxf.lvshun.gov.cn"
    url = "https://fxxf.lvshun.gov.cn" + plaque_path(approved)
    png = client.get(reverse("plaque-qr", args=[approved.public_id, "png"])).content
    assert png_matrix(png) == expected_matrix(url)
    html = client.get(reverse("plaque-print", args=[approved.public_id])).content.decode()
    assert url in html
    svg = re.search(r"<svg.*?</svg>", html, re.S)
    assert svg
    assert svg_matrix(svg.group(0)) == expected_matrix(url)
