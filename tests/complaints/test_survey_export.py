"""The export of the survey answers' list: the list's rows with its filters, headers in the
interface language, who may export (street staff their scope), the audit event, the rate limit
and a query count that does not grow with the rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from complaints import services_followup
from complaints.exports import survey_headers
from complaints.models import SurveyResponse
from lyushunkou.models import AuditEvent, Jurisdiction, User
from lyushunkou.ratelimit import EXPORTS_PER_HOUR
from tests.conftest import client_for
from tests.helpers import english

pytestmark = pytest.mark.django_db

LIST = reverse("survey-list")
CSV = reverse("survey-export", kwargs={"fmt": "csv"})
XLSX = reverse("survey-export", kwargs={"fmt": "xlsx"})
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


@pytest.fixture
def answers(dengfeng: Jurisdiction, desheng: Jurisdiction) -> dict[str, SurveyResponse]:
    return {
        "approving": answer(dengfeng, D(2026, 10, 3)),
        "disapproving": answer(dengfeng, D(2026, 10, 4), approves=False, life="basically"),
        "unaware": answer(dengfeng, D(2026, 10, 5), aware=False, life="neutral"),
        "desheng": answer(desheng, D(2026, 10, 7)),
        "november": answer(dengfeng, D(2026, 11, 2)),
    }


def csv_rows(client: Client, query: str = "") -> list[list[str]]:
    response: Any = client.get(f"{CSV}?{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # so Excel on Chinese Windows reads UTF-8
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


def listed(client: Client, query: str = "") -> list[list[str]]:
    """The list page's rows (date, jurisdiction) for the same query string."""
    response: Any = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    return [[a.answered_on.isoformat(), a.jurisdiction.name] for a in response.context["page"]]


def test_the_export_has_the_lists_rows_for_the_same_filters(
    district_staff: User, dengfeng: Jurisdiction, answers: dict[str, SurveyResponse]
) -> None:
    client = client_for(district_staff)
    for query in (
        "",
        "answered_from=2026-10-01&answered_to=2026-10-31",
        f"jurisdiction={dengfeng.pk}&aware=yes",
        "life_services=satisfied&life_services=basically",
        "life_services=satisfied,basically",
        "approves=no",
        "source=paper",
    ):
        exported = [row[:2] for row in csv_rows(client, query)[1:]]
        assert exported == listed(client, query), query
    assert len(csv_rows(client, "aware=yes&answered_to=2026-10-31")) == 1 + 3


def test_the_cells_in_english(
    district_staff: User, dengfeng: Jurisdiction, answers: dict[str, SurveyResponse]
) -> None:
    rows = csv_rows(english(client_for(district_staff)), "answered_to=2026-10-31")
    assert rows[0] == [
        "Date answered",
        "Street or park",
        "Division code",
        "Aware of the programme",
        "Approves of the programme",
        "Satisfaction with life services",
        "Answered via",
    ]
    by_date = {row[0]: row for row in rows[1:]}
    assert by_date["2026-10-04"] == [
        "2026-10-04",
        dengfeng.name,
        dengfeng.code,
        "Yes",
        "No",
        "Basically satisfied",
        "Online",
    ]
    assert by_date["2026-10-05"][3:5] == ["No", ""]  # not aware: approval not asked


def test_headers_follow_the_interface_language_chinese_by_default(
    district_staff: User, answers: dict[str, SurveyResponse]
) -> None:
    rows = csv_rows(client_for(district_staff))
    with translation.override("zh-hans"):
        assert rows[0] == survey_headers()
    with translation.override("en"):
        assert rows[0] != survey_headers()  # some headers are translated already


def test_the_xlsx_export_opens_with_the_same_rows(
    leader: User, answers: dict[str, SurveyResponse]
) -> None:
    from openpyxl import load_workbook

    client = client_for(leader)
    response: Any = client.get(f"{XLSX}?aware=yes")
    assert response.status_code == 200
    assert "survey_answers_" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet is not None
    values = [[str(cell or "") for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert [row[:2] for row in values[1:]] == listed(client, "aware=yes")
    assert values[1:] == csv_rows(client, "aware=yes")[1:]


def test_street_staff_export_their_scope_only_whatever_the_filter(
    street_staff: User, desheng: Jurisdiction, answers: dict[str, SurveyResponse]
) -> None:
    client = client_for(street_staff)
    everything = csv_rows(client)
    assert desheng.name not in {row[1] for row in everything[1:]}
    assert len(everything) == 1 + 4
    widened = csv_rows(client, f"jurisdiction={desheng.pk}")
    assert desheng.name not in {row[1] for row in widened[1:]}


@pytest.mark.parametrize("persona", ["operator", "sysadmin", "secadmin", "auditor"])
def test_other_roles_are_refused(persona: str, request: pytest.FixtureRequest) -> None:
    user = request.getfixturevalue(persona)
    assert client_for(user).get(CSV).status_code == 403
    assert not AuditEvent.objects.filter(action="survey.exported").exists()


def test_anonymous_visitor_is_sent_to_login(client: Client) -> None:
    response: Any = client.get(XLSX)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_export_is_audited_with_its_filters(
    leader: User, dengfeng: Jurisdiction, answers: dict[str, SurveyResponse]
) -> None:
    csv_rows(client_for(leader), f"jurisdiction={dengfeng.pk}&aware=yes&page=2")
    event = AuditEvent.objects.get(action="survey.exported")
    assert event.actor == leader
    assert event.detail["format"] == "csv"
    assert event.detail["rows"] == 3
    assert event.detail["filters"] == {"jurisdiction": str(dengfeng.pk), "aware": "yes"}


def test_no_personal_data_not_even_who_entered_a_paper_form(
    district_staff: User, street_staff: User, dengfeng: Jurisdiction
) -> None:
    answer(dengfeng, D(2026, 10, 3), by=street_staff)
    text = "\n".join(",".join(row) for row in csv_rows(client_for(district_staff)))
    for value in (street_staff.username, street_staff.full_name, street_staff.display_name):
        if value:
            assert value not in text


def test_the_list_links_to_the_export_with_its_filters(
    district_staff: User, answers: dict[str, SurveyResponse]
) -> None:
    html = client_for(district_staff).get(f"{LIST}?aware=yes&page=1").content.decode()
    assert f'href="{CSV}?aware=yes"' in html
    assert f'href="{XLSX}?aware=yes"' in html


def test_exports_are_rate_limited(district_staff: User) -> None:
    client = client_for(district_staff)
    for _ in range(EXPORTS_PER_HOUR):
        assert client.get(CSV).status_code == 200
    assert client.get(CSV).status_code == 429


@pytest.mark.parametrize("url", [CSV, XLSX])
def test_the_query_count_does_not_grow_with_the_rows(
    url: str, leader: User, dengfeng: Jurisdiction, desheng: Jurisdiction
) -> None:
    client = client_for(leader)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response: Any = client.get(url)
            b"".join(response.streaming_content)
        return len(captured)

    answer(dengfeng, D(2026, 10, 1))
    one = queries()
    for day in range(40):
        answer(desheng if day % 2 else dengfeng, D(2026, 8, 1) + dt.timedelta(days=day))
    assert queries() == one
