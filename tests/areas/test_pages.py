"""The area standard's pages: the verdicts of a year, a street's items, recording an item with its
evidence file (upload rules), the activity log, and the public page of the demonstration areas;
with the access of each role."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from areas.models import AreaActivity, AreaConfirmation
from lyushunkou.models import AuditEvent, Jurisdiction, User
from tests.areas.helpers import PDF, PNG, YEAR, meet_every_item
from tests.conftest import DENGFENG, DESHENG, client_for

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("areas-staff")
PUBLIC = reverse("areas-public")


def place_url(code: str = DENGFENG, year: int = YEAR) -> str:
    return reverse("areas-place", kwargs={"code": code, "year": year})


def item_url(code: str = DENGFENG, item: str = "safety_emergency", year: int = YEAR) -> str:
    return reverse("areas-confirm", kwargs={"code": code, "year": year, "item": item})


def activity_url(code: str = DENGFENG, year: int = YEAR) -> str:
    return reverse("areas-activity-new", kwargs={"code": code, "year": year})


def item_form(version: int = 0, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": version,
        "in_place": "on",
        "note": "旅顺口区登峰街道公共安全突发事件应急预案（2025年修订）",
        "evidence_file": SimpleUploadedFile("应急预案.pdf", PDF, "application/pdf"),
        "confirm": "on",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def fixture_streets(dengfeng: Jurisdiction, desheng: Jurisdiction, district_staff: User) -> None:
    meet_every_item(dengfeng, YEAR, district_staff)
    meet_every_item(
        desheng,
        YEAR,
        district_staff,
        skip=("safety_emergency",),
        figures={"complaint_satisfaction_rate": "0.85"},
    )


# --- The verdicts of a year -----------------------------------------------------------------------


def test_district_staff_see_the_district_and_every_streets_verdict(
    fixture_streets: None, district_staff: User
) -> None:
    response = client_for(district_staff).get(OVERVIEW, {"year": YEAR})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="district-verdict"' in content
    row = content.split(f'data-testid="verdict-{DESHENG}"')[1].split("</tr>")[0]
    assert 'data-verdict="not_met"' in row
    assert 'data-unmet="safety_emergency"' in row
    assert 'data-unmet="targets"' in row
    assert f'href="{place_url(DESHENG)}#item-safety_emergency"' in row
    dengfeng_row = content.split(f'data-testid="verdict-{DENGFENG}"')[1].split("</tr>")[0]
    assert 'data-verdict="met"' in dengfeng_row
    assert "data-unmet" not in dengfeng_row


def test_street_staff_see_their_street_only_and_not_the_district(
    fixture_streets: None, street_staff: User
) -> None:
    response = client_for(street_staff).get(OVERVIEW, {"year": YEAR})
    assert [r.place.code for r in response.context["overview"].reports] == [DENGFENG]
    assert response.context["overview"].district is None


def test_leaders_read_the_verdicts(leader: User) -> None:
    assert client_for(leader).get(OVERVIEW).status_code == 200


@pytest.mark.parametrize("persona", ["operator", "sysadmin", "secadmin", "auditor"])
def test_other_roles_are_refused_the_verdicts(persona: str, request: pytest.FixtureRequest) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get(OVERVIEW).status_code == 403
    assert client.get(place_url()).status_code == 403


def test_the_verdicts_take_the_same_queries_however_many_records(
    fixture_streets: None, district_staff: User, django_assert_max_num_queries: Any
) -> None:
    client = client_for(district_staff)
    client.get(OVERVIEW)
    with django_assert_max_num_queries(17):
        client.get(OVERVIEW, {"year": YEAR})


def test_a_year_outside_the_programme_is_refused(district_staff: User) -> None:
    # tests/areas/test_bad_input.py has the message; here, the overview shows no verdicts.
    response = client_for(district_staff).get(OVERVIEW, {"year": "1999"})
    assert response.status_code == 400
    assert "overview" not in (response.context or {})


# --- A street's page ------------------------------------------------------------------------------


def test_a_streets_page_names_each_item_and_links_its_records(
    fixture_streets: None, district_staff: User
) -> None:
    response = client_for(district_staff).get(place_url(DESHENG))
    content = response.content.decode()
    assert 'data-testid="item-safety_emergency"' in content
    assert f'href="{item_url(DESHENG)}"' in content
    assert "农贸市场专项整治" in content  # the logged campaign


def test_street_staff_get_a_404_for_another_street_and_the_district(
    street_staff: User, district: Jurisdiction
) -> None:
    client = client_for(street_staff)
    assert client.get(place_url(DESHENG)).status_code == 404
    assert client.get(place_url(district.code)).status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", actor=street_staff).count() == 2


def test_a_year_outside_the_programme_is_a_404(district_staff: User) -> None:
    assert client_for(district_staff).get(place_url(year=2019)).status_code == 404


# --- Recording an item with its evidence ----------------------------------------------------------


def test_street_staff_record_and_confirm_an_item_with_its_file(street_staff: User) -> None:
    client = client_for(street_staff)
    assert client.get(item_url()).status_code == 200
    response = client.post(item_url(), item_form())
    assert response.status_code == 302
    assert response["Location"] == place_url()
    record = AreaConfirmation.objects.get()
    assert record.confirmed_by == street_staff
    assert record.confirmed_at is not None
    assert record.evidence_type == "application/pdf"
    assert record.year == YEAR
    assert AuditEvent.objects.filter(action="areas.item_recorded", actor=street_staff).exists()


def test_a_file_whose_content_does_not_match_its_name_is_refused(street_staff: User) -> None:
    fake = SimpleUploadedFile("应急预案.pdf", b"#!/bin/sh\nrm -rf /\n", "application/pdf")
    response = client_for(street_staff).post(item_url(), item_form(evidence_file=fake))
    assert response.status_code == 400
    assert not AreaConfirmation.objects.exists()


def test_a_file_over_the_size_limit_is_refused(street_staff: User, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 10
    response = client_for(street_staff).post(item_url(), item_form())
    assert response.status_code == 400
    assert not AreaConfirmation.objects.exists()


def test_confirming_without_a_file_is_refused_naming_the_file(street_staff: User) -> None:
    response = client_for(street_staff).post(item_url(), item_form(evidence_file=None))
    assert response.status_code == 400
    assert "evidence_file" in response.context["form"].errors
    assert not AreaConfirmation.objects.exists()


def test_a_stale_form_is_refused(street_staff: User, district_staff: User) -> None:
    client_for(street_staff).post(item_url(), item_form())
    response = client_for(district_staff).post(item_url(), item_form(version=0))
    assert response.status_code == 409
    assert AreaConfirmation.objects.get().confirmed_by == street_staff


def test_the_evidence_file_is_served_to_readers_of_the_street_only(
    street_staff: User, leader: User, desheng_staff: User
) -> None:
    client_for(street_staff).post(item_url(), item_form(evidence_file=None, confirm=None))
    client_for(street_staff).post(
        item_url(),
        item_form(
            version=1,
            evidence_file=SimpleUploadedFile("现场.png", PNG, "image/png"),
        ),
    )
    record = AreaConfirmation.objects.get()
    url = reverse("areas-confirm-file", kwargs={"pk": record.pk})
    response = client_for(leader).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert client_for(desheng_staff).get(url).status_code == 404


def test_leaders_cannot_record_items(leader: User) -> None:
    assert client_for(leader).get(item_url()).status_code == 403


def test_staff_of_another_street_cannot_record_items(desheng_staff: User) -> None:
    assert client_for(desheng_staff).post(item_url(), item_form()).status_code == 404


def test_an_item_checked_from_records_has_no_confirmation_page(district_staff: User) -> None:
    assert client_for(district_staff).get(item_url(item="targets")).status_code == 404


def test_only_district_wide_staff_record_the_districts_own_items(
    district_staff: User, street_staff: User, district: Jurisdiction
) -> None:
    url = item_url(code=district.code, item="joint_conference")
    assert client_for(street_staff).get(url).status_code == 404
    assert client_for(district_staff).post(url, item_form()).status_code == 302


# --- The activity log -----------------------------------------------------------------------------


def activity_form(**fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "publicity",
        "title": "3·15 国际消费者权益日宣传",
        "held_on": f"{YEAR}-03-15",
        "venue": "旅顺博物馆广场",
        "reach": "1200",
        "findings": "",
    }
    data.update(fields)
    return data


def test_street_staff_log_an_activity(street_staff: User) -> None:
    response = client_for(street_staff).post(activity_url(), activity_form())
    assert response.status_code == 302
    activity = AreaActivity.objects.get()
    assert (activity.place.code, activity.reach, activity.recorded_by) == (
        DENGFENG,
        1200,
        street_staff,
    )


def test_a_campaign_without_findings_is_refused(street_staff: User) -> None:
    response = client_for(street_staff).post(activity_url(), activity_form(kind="campaign"))
    assert response.status_code == 400
    assert not AreaActivity.objects.exists()


def test_an_activity_in_the_future_is_refused(street_staff: User) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client_for(street_staff).post(
        activity_url(), activity_form(held_on=tomorrow.isoformat())
    )
    assert response.status_code == 400


def test_staff_remove_an_activity_and_the_audit_keeps_it(street_staff: User) -> None:
    client = client_for(street_staff)
    client.post(activity_url(), activity_form())
    activity = AreaActivity.objects.get()
    url = reverse("areas-activity-delete", kwargs={"pk": activity.pk})
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302  # without the button's confirmation
    assert AreaActivity.objects.exists()
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    assert not AreaActivity.objects.exists()
    event = AuditEvent.objects.get(action="areas.activity_deleted")
    assert event.detail["title"] == "3·15 国际消费者权益日宣传"


def test_others_cannot_log_or_remove_activities(
    street_staff: User, leader: User, desheng_staff: User
) -> None:
    client_for(street_staff).post(activity_url(), activity_form())
    url = reverse("areas-activity-delete", kwargs={"pk": AreaActivity.objects.get().pk})
    assert client_for(leader).post(activity_url(), activity_form()).status_code == 403
    assert client_for(leader).post(url, {"confirm": "yes"}).status_code == 403
    assert client_for(desheng_staff).post(url, {"confirm": "yes"}).status_code == 404
    assert AreaActivity.objects.count() == 1


# --- The public page ------------------------------------------------------------------------------


def test_the_public_page_shows_each_streets_verdict_and_what_it_lacks(
    fixture_streets: None, client: Client
) -> None:
    content = client.get(PUBLIC, {"year": YEAR}).content.decode()
    row = content.split(f'data-testid="public-verdict-{DESHENG}"')[1].split("</tr>")[0]
    assert 'data-verdict="not_met"' in row
    assert 'href="#standard-safety_emergency"' in row
    assert 'id="standard-safety_emergency"' in content
    assert 'data-testid="public-district"' in content


def test_the_public_page_names_no_staff_and_links_no_records(
    fixture_streets: None, client: Client
) -> None:
    content = client.get(PUBLIC, {"year": YEAR}).content.decode()
    assert "区局人员甲" not in content
    assert "/areas/staff/" not in content


def test_the_public_page_takes_the_same_queries_however_many_records(
    fixture_streets: None, client: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(12):
        client.get(PUBLIC, {"year": YEAR})
