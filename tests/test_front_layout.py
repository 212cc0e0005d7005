"""The staff menu unfolds from 1200 px with the notifications always in reach, and every page
offers the 大字号/高对比度 switch from a static script (no inline script under the CSP)."""

from __future__ import annotations

import pytest
from django.test import Client

from lyushunkou.models import User
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_staff_menu_unfolds_from_the_xl_breakpoint(district_staff: User) -> None:
    html = client_for(district_staff).get("/").content.decode()
    assert "navbar-expand-xl" in html


def test_the_notifications_stay_visible_when_the_menu_is_folded(district_staff: User) -> None:
    html = client_for(district_staff).get("/").content.decode()
    folded = html.index('data-testid="notification-badge-compact"')
    assert folded < html.index('class="navbar-toggler"')


def test_every_page_offers_the_large_text_switch_from_a_static_file(client: Client) -> None:
    html = client.get("/").content.decode()
    assert 'data-testid="display-toggle"' in html
    assert "/static/js/display-prefs.js" in html
    assert "<script>" not in html
