"""The staff list of grades and its export (issue 6 item 3)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse

from lyushunkou.models import AuditEvent, Jurisdiction, User
from scoring import periods
from scoring.grading.access import score_periods_for_user
from scoring.models import UnitScore
from tests.conftest import client_for
from tests.scoring.matrix_scores import make_score
from tests.scoring.scores_helpers import PERIOD, more_units, score_url
from units.models import Unit

pytestmark = pytest.mark.django_db


# --- The staff list of grades ------------------------------------------------------------------


@pytest.fixture
def graded(unit: Unit, other_unit: Unit, dengfeng: Jurisdiction) -> dict[str, UnitScore]:
    extra = more_units(dengfeng, 2)
    return {
        "a": make_score(unit, quality="20", price="20", rights="20"),  # 94: A
        "capped": make_score(
            extra[0], quality="9.0", grade="C", capped_by="quality", demonstration=True
        ),
        "vetoed": make_score(extra[1], grade="D", vetoes=["p_fraud_veto"]),
        "desheng": make_score(other_unit, safety="10.0"),
        "old": make_score(unit, "2026-10"),
    }


def listed(response: Any) -> set[int]:
    return {score.pk for score in response.context["page"].object_list}


def test_the_list_defaults_to_the_latest_period_and_shows_the_users_scope(
    graded: dict[str, UnitScore], street_staff: User, district_staff: User
) -> None:
    g = graded
    response = client_for(district_staff).get(reverse("score-list"))
    assert response.context["filters"]["period"] == PERIOD
    assert listed(response) == {g["a"].pk, g["capped"].pk, g["vetoed"].pk, g["desheng"].pk}
    # Street staff see their street only.
    response = client_for(street_staff).get(reverse("score-list"))
    assert listed(response) == {g["a"].pk, g["capped"].pk, g["vetoed"].pk}
    html = response.content.decode()
    assert score_url(g["a"].unit) in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"grade": "A"}, {"a"}),
        ({"demonstration": "yes"}, {"capped"}),
        ({"vetoed": "yes"}, {"vetoed"}),
        ({"vetoed": "no"}, {"a", "capped", "desheng"}),
        ({"capped": "yes"}, {"capped"}),
        ({"capped": "no"}, {"a", "vetoed", "desheng"}),
        ({"jurisdiction": "DESHENG"}, {"desheng"}),
        ({"period": "2026-10"}, {"old"}),
        ({"q": "测试商户000"}, {"capped"}),
    ],
)
def test_the_list_filters(
    graded: dict[str, UnitScore],
    district_staff: User,
    desheng: Jurisdiction,
    query: dict[str, str],
    expected: set[str],
) -> None:
    if query.get("jurisdiction") == "DESHENG":
        query = {"jurisdiction": str(desheng.pk)}
    response = client_for(district_staff).get(reverse("score-list"), query)
    assert listed(response) == {graded[name].pk for name in expected}


def test_street_staff_cannot_filter_their_way_into_another_street(
    graded: dict[str, UnitScore], street_staff: User, desheng: Jurisdiction
) -> None:
    response = client_for(street_staff).get(reverse("score-list"), {"jurisdiction": desheng.pk})
    assert graded["desheng"].pk not in listed(response)


def test_the_period_filter_offers_the_periods_of_the_grade_summaries(
    dengfeng: Jurisdiction, district_staff: User
) -> None:
    from scoring.grading.run import refresh_grade_summary

    for unit in more_units(dengfeng, 2):
        make_score(unit, period="2026-10")
        make_score(unit, period="2026-11")
    # Scores stored outside a scoring run (no summaries yet) are still offered.
    assert {"2026-10", "2026-11"} <= set(score_periods_for_user(district_staff))
    refresh_grade_summary("2026-10")
    refresh_grade_summary("2026-11")
    # Once runs have summarised their periods, the filter reads the summaries: latest first.
    assert score_periods_for_user(district_staff) == ["2026-11", "2026-10"]


def test_the_list_paginates_with_a_constant_number_of_queries(
    dengfeng: Jurisdiction, district_staff: User
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = client_for(district_staff)

    def queries() -> int:
        staff.get(reverse("score-list"))  # the session is saved on the first request
        with CaptureQueriesContext(connection) as captured:
            assert staff.get(reverse("score-list")).status_code == 200
        return len(captured)

    from scoring.grading.run import refresh_grade_summary

    # As a scoring run leaves them: the scores and their period's grade summary, from which the
    # period filter is read (a DISTINCT over the scores would read every score in scope).
    for unit in more_units(dengfeng, 3):
        make_score(unit)
    refresh_grade_summary(periods.current().key)
    few = queries()
    for unit in more_units(dengfeng, 57):
        make_score(unit, vetoes=["p_fraud_veto"], capped_by="quality", grade="D")
    refresh_grade_summary(periods.current().key)
    # One more: the count, which the three scores did not need (a first page holding the whole
    # list is its own total); from there the number stays.
    assert queries() == few + 1
    assert few <= 10
    first = staff.get(reverse("score-list"))
    assert len(first.context["page"].object_list) == 50
    second = staff.get(f"{reverse('score-list')}?{first.context['page'].next_query}")
    assert len(second.context["page"].object_list) == 10
    assert listed(first).isdisjoint(listed(second))


def test_the_list_orders_by_total_then_newest_score_across_pages(
    dengfeng: Jurisdiction, district_staff: User
) -> None:
    """Highest total first; equal totals by the score's id, newest first, not by the unit's name
    (the index on (period, total DESC, id DESC) serves every page); the cursors walk the ties."""
    staff = client_for(district_staff)
    units = more_units(dengfeng, 61)
    # Later scores for later names: the newest first is the reverse of the names' order.
    scores = [make_score(unit, quality="17.0") for unit in units[1:]]
    best = make_score(units[0], quality="20.0")
    expected = [best.pk, *sorted((score.pk for score in scores), reverse=True)]

    first = staff.get(reverse("score-list"))
    second = staff.get(f"{reverse('score-list')}?{first.context['page'].next_query}")
    shown = [score.pk for page in (first, second) for score in page.context["page"]]
    assert shown == expected
    back = staff.get(f"{reverse('score-list')}?{second.context['page'].previous_query}")
    assert [score.pk for score in back.context["page"]] == expected[:50]


def test_the_csv_export_has_a_bom_the_filtered_rows_and_is_audited(
    graded: dict[str, UnitScore], district_staff: User
) -> None:
    response = client_for(district_staff).get(
        reverse("score-export", kwargs={"fmt": "csv"}), {"grade": "A"}
    )
    body = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:3] == ["统一社会信用代码", "名称", "所属街道"]
    assert [row[1] for row in rows[1:]] == [graded["a"].unit.name]
    assert rows[1][rows[0].index("等级")] == "A"
    event = AuditEvent.objects.get(action="score.exported")
    assert event.detail["rows"] == 1
    assert event.detail["filters"] == {"period": PERIOD, "grade": "A"}


def test_the_xlsx_export_opens_in_excel(graded: dict[str, UnitScore], leader: User) -> None:
    from openpyxl import load_workbook

    response = client_for(leader).get(reverse("score-export", kwargs={"fmt": "xlsx"}))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    sheet = workbook.active
    assert sheet is not None
    assert sheet.max_row == 1 + 4  # the header and the four scores of the latest period


def test_exports_are_rate_limited(graded: dict[str, UnitScore], district_staff: User) -> None:
    from lyushunkou.ratelimit import EXPORTS_PER_HOUR

    staff = client_for(district_staff)
    url = reverse("score-export", kwargs={"fmt": "csv"})
    for _ in range(EXPORTS_PER_HOUR):
        b"".join(staff.get(url).streaming_content)  # type: ignore[attr-defined]
    assert staff.get(url).status_code == 429
