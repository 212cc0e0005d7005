"""The staff unit detail page and the demonstration-status actions on it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from lyushunkou.models import AuditEvent, User
from tests.conftest import client_for
from tests.helpers import english
from units import services
from units.models import Commitment, EvidenceFile, ServiceStation, Unit

pytestmark = pytest.mark.django_db


def detail(unit: Unit) -> str:
    return reverse("unit-detail", args=[unit.pk])


def status(unit: Unit) -> str:
    return reverse("unit-status", args=[unit.pk])


def approve(unit: Unit) -> Unit:
    Unit.objects.filter(pk=unit.pk).update(
        demonstration_status="approved",
        certificate_no="LSK-FXXF-2026-00001",
        certified_from=dt.date(2026, 1, 1),
        certified_until=dt.date(2099, 12, 31),
    )
    unit.refresh_from_db()
    return unit


# --- Access --------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client: Client, unit: Unit) -> None:
    assert client.get(detail(unit)).status_code == 302
    response = client.post(status(unit), {"action": "warn", "reason": "x"})
    assert response.status_code == 302


@pytest.mark.parametrize("persona", ["operator", "sysadmin", "secadmin", "auditor"])
def test_other_roles_are_refused(persona: str, request: pytest.FixtureRequest, unit: Unit) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get(detail(unit)).status_code == 403
    assert client.post(status(unit), {"action": "warn", "reason": "x"}).status_code == 403


@pytest.mark.parametrize("persona", ["district_staff", "leader"])
def test_district_wide_users_open_any_unit(
    persona: str, request: pytest.FixtureRequest, unit: Unit, other_unit: Unit
) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get(detail(unit)).status_code == 200
    assert client.get(detail(other_unit)).status_code == 200


def test_street_staff_get_404_for_another_street(
    street_staff: User, unit: Unit, other_unit: Unit
) -> None:
    client = client_for(street_staff)
    assert client.get(detail(unit)).status_code == 200
    assert client.get(detail(other_unit)).status_code == 404
    assert client.post(status(other_unit), {"action": "warn", "reason": "x"}).status_code == 404
    assert AuditEvent.objects.filter(actor=street_staff, action="access.denied").count() == 2


def test_leader_reads_but_cannot_change_the_status(leader: User, unit: Unit) -> None:
    approve(unit)
    client = client_for(leader)
    assert 'data-testid="status-form"' not in client.get(detail(unit)).content.decode()
    assert client.get(status(unit)).status_code == 403
    assert client.post(status(unit), {"action": "warn", "reason": "x"}).status_code == 403
    unit.refresh_from_db()
    assert unit.demonstration_status == "approved"


# --- What the page shows ---------------------------------------------------------------------


def test_detail_shows_profile_commitments_station_applications_evidence_and_history(
    district_staff: User, operator: User, unit: Unit
) -> None:
    services.commitment_save(
        unit=unit, by=operator, kind="return", content="七日无理由退货", return_days=7
    )
    ServiceStation.objects.create(
        unit=unit, contact_person="钱九", phone="13911112222", hours="9:00-17:00", location="收银台"
    )
    application = services.application_create(
        unit=unit, by=operator, year=2026, statement="五放心自评"
    )
    EvidenceFile.objects.create(
        unit=unit,
        file="evidence/1/x.pdf",
        original_name="营业执照.pdf",
        content_type="application/pdf",
        size=1234,
        uploaded_by=operator,
    )
    response = english(district_staff).get(detail(unit))
    content = response.content.decode()
    assert "138****5678" in content
    assert "13812345678" not in content
    assert "139****2222" in content
    assert "13911112222" not in content
    assert "七日无理由退货" in content
    assert reverse("application-detail", args=[application.pk]) in content
    assert "营业执照.pdf" in content
    history = [entry.action for entry in response.context["detail"].history]
    assert history[:2] == ["application.created", "unit.commitment_created"]
    assert "Application created" in content


def test_history_is_the_latest_100_events(district_staff: User, operator: User, unit: Unit) -> None:
    for number in range(105):
        services.commitment_save(unit=unit, by=operator, kind="first_ask", content=f"版本{number}")
    history = client_for(district_staff).get(detail(unit)).context["detail"].history
    assert len(history) == 100
    assert history[0].at >= history[-1].at


def test_detail_queries_do_not_grow_with_the_history(
    district_staff: User,
    operator: User,
    unit: Unit,
    django_assert_max_num_queries: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The units page's own queries (three of them for who acts for the unit: claims, claim
    # codes, contact changes); the sections other apps register pin their own costs.
    monkeypatch.setattr("units.views_staff.STAFF_UNIT_SECTIONS", [])
    for kind in ("first_ask", "purchase", "service"):
        services.commitment_save(unit=unit, by=operator, kind=kind, content=kind)
    services.application_create(unit=unit, by=operator, year=2026, statement="x")
    client = client_for(district_staff)
    with django_assert_max_num_queries(15):  # type: ignore[operator]
        assert client.get(detail(unit)).status_code == 200


# --- Status actions --------------------------------------------------------------------------


def test_staff_warn_rectify_and_revoke_with_confirmation(district_staff: User, unit: Unit) -> None:
    approve(unit)
    client = english(district_staff)
    page = client.get(detail(unit)).content.decode()
    assert 'data-testid="status-form"' in page
    assert 'value="warn"' in page

    response = client.post(status(unit), {"action": "warn", "reason": "抽检不合格"}, follow=True)
    assert "The demonstration status was changed." in response.content.decode()
    unit.refresh_from_db()
    assert (unit.demonstration_status, unit.status_reason) == ("warning", "抽检不合格")

    client.post(status(unit), {"action": "rectified", "reason": "已整改"})
    unit.refresh_from_db()
    assert unit.demonstration_status == "approved"

    refused = client.post(status(unit), {"action": "revoke", "reason": "严重失信"})
    assert refused.status_code == 400
    assert "Tick the box to confirm" in refused.content.decode()
    unit.refresh_from_db()
    assert unit.demonstration_status == "approved"

    client.post(status(unit), {"action": "revoke", "reason": "严重失信", "confirm": "on"})
    unit.refresh_from_db()
    assert unit.demonstration_status == "revoked"
    actions = list(
        AuditEvent.objects.filter(object_id=str(unit.pk), action__startswith="unit.demon")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "unit.demonstration_warning",
        "unit.demonstration_rectified",
        "unit.demonstration_revoked",
    ]


def test_a_reason_is_required(district_staff: User, unit: Unit) -> None:
    approve(unit)
    response = english(district_staff).post(status(unit), {"action": "warn", "reason": "  "})
    assert response.status_code == 400
    unit.refresh_from_db()
    assert unit.demonstration_status == "approved"


def test_a_second_concurrent_warning_fails_cleanly(
    district_staff: User, street_staff: User, unit: Unit
) -> None:
    approve(unit)
    first, second = english(district_staff), english(street_staff)
    first.get(detail(unit))
    second.get(detail(unit))  # both opened the page while the unit was approved
    first.post(status(unit), {"action": "warn", "reason": "第一次"})
    response = second.post(status(unit), {"action": "warn", "reason": "第二次"}, follow=True)
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    unit.refresh_from_db()
    assert unit.status_reason == "第一次"
    assert AuditEvent.objects.filter(action="unit.demonstration_warning").count() == 1


def test_a_unit_that_is_not_a_demonstration_unit_offers_no_action(
    district_staff: User, unit: Unit
) -> None:
    client = english(district_staff)
    assert 'data-testid="status-form"' not in client.get(detail(unit)).content.decode()
    assert "No status action applies" in client.get(status(unit)).content.decode()
    response = client.post(status(unit), {"action": "warn", "reason": "x"}, follow=True)
    assert "Someone else changed this record" in response.content.decode()
    unit.refresh_from_db()
    assert unit.demonstration_status == "none"


def test_pages_have_no_inline_scripts(district_staff: User, unit: Unit) -> None:
    approve(unit)
    Commitment.objects.create(unit=unit, kind="first_ask", content="x")
    client = client_for(district_staff)
    for url in (detail(unit), status(unit), reverse("unit-list"), reverse("unit-import")):
        content = client.get(url).content.decode()
        assert "onclick" not in content.lower()
        assert "<script>" not in content
