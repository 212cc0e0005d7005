"""Public pages without login (the callback link, the consumer survey) and staff survey entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complaints import services, services_followup
from complaints.models import CallbackLink, Complaint, SurveyResponse
from lyushunkou.models import Jurisdiction, Notification, User
from tests.complaints.helpers import register
from tests.conftest import client_for
from units.models import Unit

pytestmark = pytest.mark.django_db

SURVEY = reverse("survey")
ENTRY = reverse("survey-entry")


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def complaint(dengfeng: Jurisdiction, unit: Unit, street_staff: User) -> Complaint:
    """Concluded as mediated, handled by ``street_staff``."""
    complaint = register(dengfeng, on=today() - dt.timedelta(days=10), unit=unit)
    complaint = services.complaint_accept(
        complaint=complaint, by=street_staff, version=complaint.version
    )
    return services.complaint_conclude(
        complaint=complaint, by=street_staff, version=complaint.version, outcome="mediated"
    )


@pytest.fixture
def link(complaint: Complaint, street_staff: User) -> str:
    token = services_followup.callback_link_create(complaint=complaint, by=street_staff)
    return reverse("complaint-callback", args=[token])


# --- Callback link ----------------------------------------------------------------------------


def test_the_callback_page_shows_no_personal_data_and_three_answers(
    client: Client, link: str, complaint: Complaint
) -> None:
    response = client.get(link)
    html = response.content.decode()
    assert response.status_code == 200
    assert complaint.record_no in html
    assert complaint.respondent_name in html
    assert "欧阳" not in html
    assert "5678" not in html
    assert html.count('name="answer"') == 3  # not 未评价 (tests/complaints/test_plain_words.py)
    assert "no-store" in response["Cache-Control"]


def test_one_click_records_the_answer_and_the_link_then_stops_working(
    client: Client, link: str, complaint: Complaint
) -> None:
    response = client.post(link, {"answer": "satisfied"})
    assert response.status_code == 200
    assert 'data-testid="callback-thanks"' in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.satisfaction == "satisfied"
    assert complaint.satisfaction_via_link
    assert client.get(link).status_code == 410
    assert client.post(link, {"answer": "dissatisfied"}).status_code == 410
    complaint.refresh_from_db()
    assert complaint.satisfaction == "satisfied"


def test_an_expired_or_unknown_link_gets_a_clear_page(
    client: Client, link: str, complaint: Complaint
) -> None:
    CallbackLink.objects.filter(complaint=complaint).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    for url in (link, reverse("complaint-callback", args=["not-a-token"])):
        response = client.get(url)
        assert response.status_code == 410
        assert 'data-testid="callback-gone"' in response.content.decode()
    assert client.post(link, {"answer": "satisfied"}).status_code == 410
    complaint.refresh_from_db()
    assert complaint.satisfaction == ""


def test_dissatisfied_notifies_the_handler(client: Client, link: str, street_staff: User) -> None:
    client.post(link, {"answer": "dissatisfied"})
    assert Notification.objects.filter(user=street_staff).count() == 1


def test_a_bad_answer_is_rejected_without_using_the_link(
    client: Client, link: str, complaint: Complaint
) -> None:
    assert client.post(link, {"answer": "great"}).status_code == 400
    assert client.post(link, {"answer": "basically"}).status_code == 200


def test_callback_requests_are_rate_limited_per_address(client: Client) -> None:
    url = reverse("complaint-callback", args=["guess"])
    statuses = {client.get(url).status_code for _ in range(35)}
    assert statuses == {410, 429}


# --- Public survey -------------------------------------------------------------------------------


def survey(place: Jurisdiction, **overrides: Any) -> dict[str, Any]:
    return {
        "jurisdiction": place.pk,
        "aware": "yes",
        "approves": "yes",
        "life_services": "basically",
        "website": "",
        **overrides,
    }


def test_a_consumer_answers_the_survey_without_login(
    client: Client, dengfeng: Jurisdiction
) -> None:
    assert client.get(SURVEY).status_code == 200
    response = client.post(SURVEY, survey(dengfeng))
    assert response.status_code == 200
    assert 'data-testid="survey-thanks"' in response.content.decode()
    answer = SurveyResponse.objects.get()
    assert answer.aware
    assert answer.approves
    assert answer.source == "online"
    assert answer.answered_on == today()
    assert answer.entered_by is None


def test_approval_without_awareness_is_rejected(client: Client, dengfeng: Jurisdiction) -> None:
    response = client.post(SURVEY, survey(dengfeng, aware="no", approves="yes"))
    assert response.status_code == 400
    assert "approves" in response.context["form"].errors
    assert not SurveyResponse.objects.exists()
    assert client.post(SURVEY, survey(dengfeng, aware="no", approves="")).status_code == 200
    assert SurveyResponse.objects.get().approves is None


def test_the_district_itself_is_not_a_choice(client: Client) -> None:
    district = Jurisdiction.objects.get(kind="district")
    response = client.post(SURVEY, survey(district))
    assert response.status_code == 400
    assert not SurveyResponse.objects.exists()


def test_the_honeypot_and_the_rate_limit_stop_bots(client: Client, dengfeng: Jurisdiction) -> None:
    assert client.post(SURVEY, survey(dengfeng, website="http://spam")).status_code == 400
    assert not SurveyResponse.objects.exists()
    statuses = [client.post(SURVEY, survey(dengfeng)).status_code for _ in range(25)]
    assert statuses.count(429) >= 5
    assert SurveyResponse.objects.count() < 20


# --- Staff entry of paper forms ------------------------------------------------------------------


def test_staff_enter_paper_forms_with_their_date(
    street_staff: User, dengfeng: Jurisdiction
) -> None:
    client = client_for(street_staff)
    assert client.get(ENTRY).status_code == 200
    day = (today() - dt.timedelta(days=3)).isoformat()
    response = client.post(ENTRY, survey(dengfeng, answered_on=day, aware="no", approves=""))
    assert response.status_code == 302
    answer = SurveyResponse.objects.get()
    assert answer.source == "paper"
    assert answer.entered_by == street_staff
    assert answer.answered_on.isoformat() == day
    page = client.get(ENTRY)
    assert [e.pk for e in page.context["entries"]] == [answer.pk]


def test_staff_entry_refuses_future_dates_and_places_outside_the_scope(
    street_staff: User, dengfeng: Jurisdiction, desheng: Jurisdiction
) -> None:
    client = client_for(street_staff)
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    assert client.post(ENTRY, survey(dengfeng, answered_on=tomorrow)).status_code == 400
    assert client.post(ENTRY, survey(desheng, answered_on=today())).status_code == 400
    assert client.post(ENTRY, survey(dengfeng, answered_on=today(), aware="no")).status_code == 400
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize("persona", ["leader", "operator", "sysadmin", "auditor"])
def test_only_staff_enter_paper_forms(persona: str, request: pytest.FixtureRequest) -> None:
    assert client_for(request.getfixturevalue(persona)).get(ENTRY).status_code == 403


def test_anonymous_is_sent_to_login_for_entry(client: Client) -> None:
    assert client.get(ENTRY).status_code == 302
