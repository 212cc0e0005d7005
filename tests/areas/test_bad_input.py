"""Every page of the demonstration areas answers input it cannot use — a year that is not one, a
street or item that does not exist, an id that is not a record, a file that is not what it says —
with 400 (a message naming the problem) or 404, and stores nothing (issue 21, "Bad input")."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from areas import services_assessment as workflow
from areas.models import AreaActivity, AreaConfirmation, Community, NetworkPoint
from areas.models_assessment import AreaAssessment, AreaVerdict
from lyushunkou.models import Jurisdiction, User
from tests.areas.helpers import PDF, PNG, YEAR, community, meet_every_item
from tests.conftest import DENGFENG, client_for
from tests.helpers import english

pytestmark = pytest.mark.django_db
BIG = "99999999999999999999"  # beyond any database integer


def problem(response: Any) -> str:
    html: str = response.content.decode()
    start = html.index('data-testid="bad-input"')
    return html[html.index(">", start) + 1 : html.index("</div>", start)]


def place(name: str, code: str = DENGFENG, year: int | str = YEAR, **kwargs: Any) -> str:
    return reverse(name, kwargs={"code": code, "year": year, **kwargs})


# --- A year that is not one -----------------------------------------------------------------------


@pytest.mark.parametrize("year", ["1999", "abc", "20255", "2999", " 2O25"])
def test_the_overview_refuses_a_year_it_does_not_show(district_staff: User, year: str) -> None:
    response = english(district_staff).get(reverse("areas-staff"), {"year": year})
    assert response.status_code == 400
    text = problem(response)
    assert f"“{year.strip()}” is not a year these pages show" in text
    assert f"from 2024 to {timezone.localdate().year}" in text


def test_the_public_page_refuses_a_year_it_does_not_show() -> None:
    response = english(Client()).get(reverse("areas-public"), {"year": "1999"})
    assert response.status_code == 400
    assert "“1999”" in problem(response)


def test_a_blank_year_is_this_year(district_staff: User) -> None:
    response = client_for(district_staff).get(reverse("areas-staff"), {"year": ""})
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year


def test_a_listed_year_is_shown(district_staff: User) -> None:
    response = client_for(district_staff).get(reverse("areas-staff"), {"year": str(YEAR)})
    assert response.context["year"] == YEAR


@pytest.mark.parametrize("year", ["1999", "2999", BIG])
def test_a_places_page_of_a_year_it_does_not_show_is_a_404(district_staff: User, year: str) -> None:
    assert client_for(district_staff).get(place("areas-place", year=year)).status_code == 404


# --- A street, kind or item that does not exist ---------------------------------------------------


@pytest.mark.parametrize("name", ["areas-points", "areas-communities"])
@pytest.mark.parametrize("query", [{"street": "nowhere"}, {"kind": "shop"}])
def test_the_staff_lists_refuse_an_unknown_filter(
    district_staff: User, name: str, query: dict[str, str]
) -> None:
    response = client_for(district_staff).get(reverse(name), query)
    assert response.status_code == 400
    assert "不在可用的选项中" in problem(response)  # Django's own Chinese message
    assert next(iter(query.values())) in problem(response)


def test_the_public_list_refuses_an_unknown_street(client: Client) -> None:
    response = client.get(reverse("areas-network-public"), {"street": "nowhere"})
    assert response.status_code == 400
    assert "nowhere" in problem(response)


def test_street_staff_cannot_filter_by_another_street(street_staff: User) -> None:
    response = client_for(street_staff).get(reverse("areas-points"), {"street": "210212003000"})
    assert response.status_code == 400


def test_a_known_filter_still_lists(district_staff: User, dengfeng: Jurisdiction) -> None:
    response = client_for(district_staff).get(reverse("areas-points"), {"street": DENGFENG})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        place("areas-place", code="nowhere"),
        place("areas-confirm", item="no_such_item"),
        place("areas-confirm", item="network_coverage"),  # checked from records, not confirmed
        place("areas-activity-new", code="nowhere"),
        place("areas-assessment-submit", code="nowhere"),
    ],
)
def test_an_unknown_place_or_item_is_a_404(district_staff: User, url: str) -> None:
    assert client_for(district_staff).get(url).status_code == 404


# --- Ids that are not records ---------------------------------------------------------------------


@pytest.mark.parametrize("pk", ["999999", BIG])
@pytest.mark.parametrize("name", ["areas-point-edit", "areas-confirm-file"])
def test_an_unknown_id_is_a_404(district_staff: User, name: str, pk: str) -> None:
    url = reverse(name, kwargs={"pk": 1}).replace("/1/", f"/{pk}/")
    assert client_for(district_staff).get(url).status_code == 404


@pytest.mark.parametrize("pk", ["999999", BIG])
def test_removing_an_unknown_activity_is_a_404(district_staff: User, pk: str) -> None:
    url = reverse("areas-activity-delete", kwargs={"pk": 1}).replace("/1/", f"/{pk}/")
    response = client_for(district_staff).post(url, {"confirm": "yes"})
    assert response.status_code == 404


# --- Bad files and forms: 400, nothing stored ----------------------------------------------------


def test_an_evidence_file_that_is_not_what_it_says_stores_nothing(street_staff: User) -> None:
    data = {
        "version": 0,
        "in_place": "on",
        "note": "应急预案",
        "evidence_file": SimpleUploadedFile("应急预案.pdf", PNG, "application/pdf"),
    }
    response = client_for(street_staff).post(place("areas-confirm", item="safety_emergency"), data)
    assert response.status_code == 400
    assert not AreaConfirmation.objects.exists()


def test_a_community_file_that_is_not_a_table_loads_nothing(district_staff: User) -> None:
    upload = SimpleUploadedFile("社区.csv", PDF + b"\x00\xff" * 20, "text/csv")
    response = client_for(district_staff).post(reverse("areas-community-import"), {"file": upload})
    assert response.status_code == 400
    assert not Community.objects.exists()


@pytest.mark.parametrize(
    "extra",
    [
        {"latitude": "999", "longitude": "121.26"},
        {"latitude": "38.81"},  # a latitude without its longitude
        {"community": BIG},
        {"kind": "shop"},
        {"unit_credit_code": "91210212MA0000000X"},
    ],
)
def test_a_point_form_with_bad_values_adds_nothing(
    street_staff: User, dengfeng: Jurisdiction, extra: dict[str, str]
) -> None:
    where = community(dengfeng)
    data = {
        "kind": "liaison",
        "name": "联络站",
        "community": where.pk,
        "contact_person": "王联络",
        "contact_phone": "13912345678",
        "opening_hours": "周一至周五 8:30-17:00",
        "active": "on",
        **extra,
    }
    response = client_for(street_staff).post(reverse("areas-point-new"), data)
    assert response.status_code == 400
    assert not NetworkPoint.objects.exists()


@pytest.mark.parametrize("held_on", ["not-a-date", "2025-02-30", "1999-01-01", "2999-01-01"])
def test_an_activity_on_a_day_that_cannot_be_logs_nothing(street_staff: User, held_on: str) -> None:
    data = {
        "kind": "publicity",
        "title": "3·15 宣传",
        "held_on": held_on,
        "venue": "广场",
        "reach": "300",
    }
    response = client_for(street_staff).post(place("areas-activity-new"), data)
    assert response.status_code == 400
    assert not AreaActivity.objects.exists()


# --- The year-end workflow ------------------------------------------------------------------------


@pytest.fixture
def confirmed(dengfeng: Jurisdiction, street_staff: User, district_staff: User) -> AreaAssessment:
    meet_every_item(dengfeng, YEAR, district_staff)
    submitted = workflow.assessment_submit(
        place=dengfeng, year=YEAR, by=street_staff, statement="自评", record=None, version=0
    )
    return workflow.assessment_review(
        assessment=submitted,
        by=district_staff,
        version=submitted.version,
        decisions={item["code"]: ("accepted", "") for item in submitted.items},
    )


def test_a_verdict_form_without_its_version_issues_nothing(
    confirmed: AreaAssessment, district_staff: User
) -> None:
    response = client_for(district_staff).post(place("areas-verdict-issue"), {"version": "x"})
    assert response.status_code == 400
    assert "请在该地区的页面上发布评判结论。" in response.content.decode()
    assert not AreaVerdict.objects.exists()


def test_a_verdict_form_read_before_a_change_issues_nothing(
    confirmed: AreaAssessment, district_staff: User
) -> None:
    data = {"version": confirmed.version - 1}
    response = client_for(district_staff).post(place("areas-verdict-issue"), data)
    assert response.status_code == 409
    assert not AreaVerdict.objects.exists()


def test_a_verdict_refused_for_missing_evidence_names_the_item(
    confirmed: AreaAssessment, district_staff: User, dengfeng: Jurisdiction
) -> None:
    AreaConfirmation.objects.filter(place=dengfeng, criterion__code="safety_emergency").update(
        confirmed_at=None, confirmed_by=None
    )
    response = english(district_staff).post(
        place("areas-verdict-issue"), {"version": confirmed.version}
    )
    assert response.status_code == 400
    assert "A safety management responsibility system" in response.content.decode()
    assert not AreaVerdict.objects.exists()


def test_a_review_without_every_decision_records_nothing(
    dengfeng: Jurisdiction, street_staff: User, district_staff: User
) -> None:
    submitted = workflow.assessment_submit(
        place=dengfeng, year=YEAR, by=street_staff, statement="自评", record=None, version=0
    )
    data = {"version": submitted.version, "decision_joint_conference": "accepted"}
    response = client_for(district_staff).post(place("areas-assessment-review"), data)
    assert response.status_code == 400
    submitted.refresh_from_db()
    assert submitted.state == AreaAssessment.State.SUBMITTED
    assert not submitted.reviews.exists()


def test_issuing_without_a_self_assessment_is_a_404(district_staff: User) -> None:
    response = client_for(district_staff).post(place("areas-verdict-issue"), {"version": 0})
    assert response.status_code == 404
