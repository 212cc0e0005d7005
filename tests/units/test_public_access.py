"""The public side of the programme: anyone reaches the public pages, and nobody writes to them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.units.public_helpers import (
    DIRECTORY,
    plaque_path,
)
from units.models import Unit

pytestmark = pytest.mark.django_db


# --- Access --------------------------------------------------------------------------------------


def test_anonymous_visitors_reach_all_four_public_pages(approved: Unit, client: Client) -> None:
    pid = approved.public_id
    for url in (
        reverse("plaque", args=[pid]),
        reverse("plaque-print", args=[pid]),
        reverse("plaque-qr", args=[pid, "svg"]),
        reverse("plaque-qr", args=[pid, "png"]),
        DIRECTORY,
    ):
        response = client.get(url)
        assert response.status_code == 200, url


def test_public_pages_refuse_writes(approved: Unit, client: Client) -> None:
    assert client.post(plaque_path(approved)).status_code == 405
    assert client.post(DIRECTORY).status_code == 405
