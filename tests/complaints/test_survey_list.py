"""The list of the consumer survey's answers (the records behind the survey targets): who reaches
it, the scope each sees, the filters, pagination, no personal data, and its query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from complaints import services_followup
from complaints.models import SurveyResponse
from lyushunkou.models import AuditEvent, Jurisdiction, User
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

LIST = reverse("survey-list")
D = dt.date


def answer(
    place: Jurisdiction,
    on: D,
    aware: bool = True,
    approves: bool | None = True,
    life: str = "satisfied",
    by: User | None = None,
) -> SurveyResponse:
    return services_followup.survey_record(
        jurisdiction=place,
        answered_on=on,
        aware=aware,
        approves=approves if aware else None,
        life_services=life,
        by=by,
    )


def shown(client: Client, query: str = "") -> set[int]:
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    return {a.pk for a in response.context["page"]}


@pytest.fixture
def answers(dengfeng: Jurisdiction, desheng: Jurisdiction) -> dict[str, SurveyResponse]:
    park = Jurisdiction.objects.create(
        code="210212001904", name="登峰测试园区", kind="park", parent=dengfeng
    )
    return {
        "approving": answer(dengfeng, D(2026, 10, 3)),
        "disapproving": answer(dengfeng, D(2026, 10, 4), approves=False, life="basically"),
        "unaware": answer(dengfeng, D(2026, 10, 5), aware=False, life="neutral"),
        "park": answer(park, D(2026, 10, 6), life="dissatisfied"),
        "desheng": answer(desheng, D(2026, 10, 7)),
        "november": answer(dengfeng, D(2026, 11, 2)),
    }


def pks(answers: dict[str, SurveyResponse], *keys: str) -> set[int]:
    return {answers[key].pk for key in keys}


def test_anonymous_visitor_is_sent_to_login(client: Client) -> None:
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["operator", "sysadmin", "secadmin", "auditor"])
def test_other_roles_are_refused(persona: str, request: pytest.FixtureRequest) -> None:
    user = request.getfixturevalue(persona)
    assert client_for(user).get(LIST).status_code == 403
    assert AuditEvent.objects.filter(actor=user, action="access.denied").exists()


def test_leaders_see_every_jurisdiction_and_street_staff_their_own_and_below(
    leader: User, street_staff: User, answers: dict[str, SurveyResponse]
) -> None:
    assert shown(client_for(leader)) == pks(answers, *answers)
    assert shown(client_for(street_staff)) == pks(answers, *answers) - pks(answers, "desheng")


def test_street_staff_cannot_widen_their_scope_with_the_jurisdiction_filter(
    street_staff: User, desheng: Jurisdiction, answers: dict[str, SurveyResponse]
) -> None:
    listed = shown(client_for(street_staff), f"jurisdiction={desheng.pk}")
    assert answers["desheng"].pk not in listed
    assert answers["approving"].pk in listed  # not a choice for them: ignored, not obeyed


def test_the_filters_of_the_survey_figures(
    district_staff: User, dengfeng: Jurisdiction, answers: dict[str, SurveyResponse]
) -> None:
    client = client_for(district_staff)
    october = "answered_from=2026-10-01&answered_to=2026-10-31"
    in_october = pks(answers, *answers) - pks(answers, "november")
    assert shown(client, october) == in_october
    here = f"{october}&jurisdiction={dengfeng.pk}"  # with the park below it
    assert shown(client, here) == pks(answers, "approving", "disapproving", "unaware", "park")
    assert shown(client, f"{here}&aware=yes") == pks(answers, "approving", "disapproving", "park")
    assert shown(client, f"{here}&aware=no") == pks(answers, "unaware")
    assert shown(client, f"{here}&aware=yes&approves=yes") == pks(answers, "approving", "park")
    assert shown(client, f"{here}&approves=no") == pks(answers, "disapproving")
    satisfied = f"{here}&life_services=satisfied&life_services=basically"
    assert shown(client, satisfied) == pks(answers, "approving", "disapproving")
    assert shown(client, f"{here}&life_services=satisfied,basically") == shown(client, satisfied)
    assert shown(client, "source=paper") == set()


def test_no_personal_data_and_not_who_entered_a_paper_form(
    district_staff: User, street_staff: User, dengfeng: Jurisdiction
) -> None:
    answer(dengfeng, D(2026, 10, 3), by=street_staff)
    html = client_for(district_staff).get(LIST).content.decode()
    assert 'data-testid="survey-answer"' in html
    assert street_staff.username not in html.split('data-testid="survey-table"')[1]


def test_pagination_and_a_query_count_that_does_not_grow(
    leader: User, dengfeng: Jurisdiction, django_assert_num_queries: object
) -> None:
    client = client_for(leader)
    answer(dengfeng, D(2026, 10, 1))
    # Session and user; count, page, jurisdiction choices; unread notifications; the session
    # saved (idle timeout) in a savepoint (3).
    with django_assert_num_queries(9):  # type: ignore[operator]
        client.get(LIST)
    for day in range(1, 61):
        answer(dengfeng, D(2026, 8, 1) + dt.timedelta(days=day))
    with django_assert_num_queries(9):  # type: ignore[operator]
        response = client.get(f"{LIST}?answered_from=2026-01-01")
    assert len(response.context["page"]) == 50
    assert "answered_from=2026-01-01&amp;page=2" in response.content.decode()
    second = client.get(f"{LIST}?answered_from=2026-01-01&page=2")
    assert len(second.context["page"]) == 11
