"""The public side of the programme: the plaque page.

Units are made demonstration units by driving the real services, as staff would.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lyushunkou.models import User
from tests.conftest import client_for
from tests.units.public_helpers import (
    STATION_PHONE,
    approve,
    plaque_path,
    status_on_page,
)
from units import services
from units.models import Unit

pytestmark = pytest.mark.django_db


# --- The plaque page ---------------------------------------------------------------------------


def test_it_shows_an_approved_unit_as_valid_to_anyone(approved: Unit, client: Client) -> None:
    response = client.get(plaque_path(approved))
    assert response.status_code == 200
    html = response.content.decode()
    assert status_on_page(html) == "valid"
    assert approved.certificate_no.startswith("LSK-FXXF-2026-")
    assert approved.certificate_no in html
    assert approved.name in html
    assert approved.credit_code in html
    assert approved.jurisdiction.name in html
    assert approved.address in html
    assert approved.certified_until is not None
    assert approved.certified_until.isoformat() in html


def test_it_shows_commitments_and_the_station(approved: Unit, client: Client) -> None:
    html = client.get(plaque_path(approved)).content.decode()
    assert "七日无理由退货" in html
    assert "除生鲜食品外的商品" in html
    assert "首问负责，不推诿" in html
    # The station is a business contact that consumers need to call: shown in full.
    assert "赵站长" in html
    assert STATION_PHONE in html
    assert 'href="tel:12315"' in html


def test_it_never_shows_the_operators_personal_data(approved: Unit, client: Client) -> None:
    html = client.get(plaque_path(approved)).content.decode()
    assert approved.legal_representative not in html
    assert approved.contact_phone not in html


def test_inactive_commitments_are_not_published(
    approved: Unit, operator: User, client: Client
) -> None:
    services.commitment_save(unit=approved, by=operator, kind="first_ask", active=False)
    html = client.get(plaque_path(approved)).content.decode()
    assert "首问负责，不推诿" not in html
    assert "七日无理由退货" in html


def test_the_plaque_page_is_never_cached_stale(approved: Unit, client: Client) -> None:
    response = client.get(plaque_path(approved))
    assert "no-cache" in response["Cache-Control"]


def test_a_warned_unit_shows_a_warning(
    approved: Unit, district_staff: User, client: Client
) -> None:
    services.unit_warn(unit=approved, by=district_staff, reason="抽检不合格")
    html = client.get(plaque_path(approved)).content.decode()
    assert status_on_page(html) == "warning"
    assert 'data-testid="plaque-alert"' in html
    assert "七日无理由退货" in html  # a warned unit keeps its plaque and its commitments


def test_a_revoked_unit_says_so_at_the_top(
    approved: Unit, district_staff: User, client: Client
) -> None:
    services.unit_revoke(unit=approved, by=district_staff, reason="整改不到位")
    html = client.get(plaque_path(approved)).content.decode()
    assert status_on_page(html) == "revoked"
    main = html[html.index('<main id="main"') :]
    # The alert is the first thing in the page, before the unit's name heading.
    assert main.index('data-testid="plaque-alert"') < main.index('id="unit-name"')
    assert 'class="alert alert-danger' in html
    # Still recognisable, but it no longer advertises the programme's commitments.
    assert approved.name in html
    assert approved.credit_code in html
    assert "七日无理由退货" not in html
    # Issue 12: the public page says why (DESIGN.md §5, every move shown on the plaque page).
    assert "整改不到位" in html


def test_a_unit_whose_certificate_ran_out_shows_expired(
    unit: Unit, operator: User, district_staff: User, client: Client
) -> None:
    approve(
        unit,
        operator=operator,
        staff=district_staff,
        valid_from=timezone.localdate() - dt.timedelta(days=400),
    )
    assert unit.certified_until is not None
    assert unit.certified_until < timezone.localdate()
    html = client.get(plaque_path(unit)).content.decode()
    assert status_on_page(html) == "expired"
    assert 'class="alert alert-danger' in html
    assert f'<time datetime="{unit.certified_until.isoformat()}">' in html
    assert unit.name in html


def test_the_status_is_computed_when_the_page_is_opened(approved: Unit, client: Client) -> None:
    assert status_on_page(client.get(plaque_path(approved)).content.decode()) == "valid"
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Unit.objects.filter(pk=approved.pk).update(certified_until=yesterday)
    assert status_on_page(client.get(plaque_path(approved)).content.decode()) == "expired"


def test_a_unit_never_approved_has_no_plaque(unit: Unit, client: Client) -> None:
    for name in ("plaque", "plaque-print"):
        assert client.get(reverse(name, args=[unit.public_id])).status_code == 404
    assert client.get(reverse("plaque-qr", args=[unit.public_id, "png"])).status_code == 404


def test_an_unknown_public_id_is_not_found(approved: Unit, client: Client) -> None:
    assert client.get(reverse("plaque", args=["nosuchunit00"])).status_code == 404
    assert client.get(reverse("plaque-print", args=["nosuchunit00"])).status_code == 404
    assert client.get(reverse("plaque-qr", args=["nosuchunit00", "svg"])).status_code == 404


def test_logged_in_users_see_the_same_plaque(
    approved: Unit, other_operator: User, street_staff: User
) -> None:
    for user in (other_operator, street_staff):
        response = client_for(user).get(plaque_path(approved))
        assert response.status_code == 200
        assert status_on_page(response.content.decode()) == "valid"
