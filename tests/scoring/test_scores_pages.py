"""The score page (why a unit has its grade), the staff list of grades and its export, the
operator's grades and the grade section of the unit pages (issue 6 item 3)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complaints import services as complaint_services
from inspections import services_checks as checks
from lyushunkou.models import AuditEvent, Jurisdiction, Role, User
from scoring import periods
from scoring.grading import engine
from scoring.grading.access import latest_scores, score_explanation, score_periods_for_user
from scoring.grading.sections import grade_section
from scoring.models import UnitScore
from tests.complaints.helpers import register as register_complaint
from tests.conftest import client_for, make_user
from tests.factories import UnitFactory
from tests.helpers import english
from tests.inspections.helpers import batch as record_batch
from tests.scoring.matrix_scores import make_appeal, make_score
from units import services as unit_services
from units.models import Unit

pytestmark = pytest.mark.django_db

PERIOD = periods.current().key


def score_url(unit: Unit, period: str = PERIOD) -> str:
    return reverse("score-detail", kwargs={"unit_pk": unit.pk, "period": period})


def more_units(jurisdiction: Jurisdiction, n: int) -> list[Unit]:
    """Retail units named 测试商户000, 测试商户001, … (the name filter's test looks for one)."""
    return [
        UnitFactory.create(jurisdiction=jurisdiction, name=f"测试商户{i:03d}") for i in range(n)
    ]


# --- Who may open a score page ---------------------------------------------------------------


def test_the_units_operator_staff_in_scope_and_leaders_open_the_score_page(
    unit: Unit, operator: User, street_staff: User, district_staff: User, leader: User
) -> None:
    make_score(unit)
    for user in (operator, street_staff, district_staff, leader):
        response = client_for(user).get(score_url(unit))
        assert response.status_code == 200, user.username
        assert response.context["score"].unit == unit


def test_outsiders_cannot_open_the_score_page(
    unit: Unit,
    other_operator: User,
    desheng: Jurisdiction,
    sysadmin: User,
    auditor: User,
) -> None:
    make_score(unit)
    desheng_staff = make_user("ivan", Role.STAFF, desheng)
    assert client_for(other_operator).get(score_url(unit)).status_code == 404
    assert client_for(desheng_staff).get(score_url(unit)).status_code == 404
    assert client_for(sysadmin).get(score_url(unit)).status_code == 403
    assert client_for(auditor).get(score_url(unit)).status_code == 403
    assert Client().get(score_url(unit))["Location"].startswith(reverse("login"))
    denied = AuditEvent.objects.filter(action="access.denied", actor=other_operator).get()
    assert denied.detail["model"] == "scoring.unitscore"


def test_a_period_without_a_score_is_not_found(unit: Unit, operator: User) -> None:
    make_score(unit, "2026-10")
    assert client_for(operator).get(score_url(unit, "2026-09")).status_code == 404


# --- Why this grade: the evidence, its rules and its links ------------------------------------


@pytest.fixture
def records(unit: Unit, street_staff: User, dengfeng: Jurisdiction) -> dict[str, Any]:
    """One record of each kind the evidence can name, all about ``unit``."""
    today = timezone.localdate()
    batch = record_batch(
        street_staff,
        dengfeng,
        sampled_on=today - dt.timedelta(days=20),
        sampled_unit_name=unit.name,
        sampled_unit_credit_code=unit.credit_code,
        result="fail",
    )
    hidden = register_complaint(dengfeng, on=today - dt.timedelta(days=30), unit=unit)
    hidden = complaint_services.complaint_accept(
        complaint=hidden, by=street_staff, version=hidden.version
    )
    hidden = complaint_services.complaint_conclude(
        complaint=hidden, by=street_staff, version=hidden.version, outcome="mediated"
    )
    forwarded = register_complaint(dengfeng, on=today - dt.timedelta(days=5), unit=unit)
    forwarded = complaint_services.complaint_accept(
        complaint=forwarded, by=street_staff, version=forwarded.version
    )
    forwarded = complaint_services.complaint_forward_odr(
        complaint=forwarded, by=street_staff, version=forwarded.version
    )
    check = checks.check_record(
        unit=unit,
        by=street_staff,
        checked_on=today - dt.timedelta(days=10),
        check_type="price_marking",
        inspectors="张三",
        items=[{"item": "明码标价", "passed": False}],
        findings=[{"guarantee": "price", "severity": "general", "description": "价签不全"}],
    )
    penalty = checks.penalty_save(
        by=street_staff,
        unit=unit,
        kind="price_fraud",
        decision_no="旅市监罚〔2026〕7号",
        decided_on=today - dt.timedelta(days=8),
        amount=2000,
    )
    commitment = unit_services.commitment_save(
        unit=unit,
        by=unit.owner,  # type: ignore[arg-type]
        kind="service",
        content="诚信经营，明码标价",
        active=True,
    )
    return {
        "batch": batch,
        "hidden_complaint": hidden,
        "forwarded_complaint": forwarded,
        "check": check,
        "finding": check.findings.get(),
        "penalty": penalty,
        "commitment": commitment,
    }


def hand_made_evidence(r: dict[str, Any]) -> list[dict[str, Any]]:
    def entry(code: str, guarantee: str, kind: str, points: str, *recs: tuple[str, int, str]):
        return {
            "indicator": code,
            "label": code,
            "guarantee": guarantee,
            "kind": kind,
            "count": len(recs),
            "points": points,
            "records": [{"kind": k, "id": pk, "label": label} for k, pk, label in recs],
        }

    return [
        entry(
            "q_sampling_fail",
            "quality",
            "deduction",
            "-4.0",
            ("sampling_batch", r["batch"].pk, "B1"),
        ),
        entry(
            "p_complaint",
            "price",
            "deduction",
            "-4.0",
            ("complaint", r["hidden_complaint"].pk, "C-hidden"),
            ("complaint", r["forwarded_complaint"].pk, "C-forwarded"),
        ),
        entry("p_check_pass", "price", "award", "0.0", ("onsite_check", r["check"].pk, "CHK")),
        entry("p_finding_open", "price", "deduction", "-3.0", ("finding", r["finding"].pk, "F1")),
        entry("p_fraud_veto", "price", "veto", "0.0", ("penalty", r["penalty"].pk, "PEN")),
        entry(
            "se_commitment", "service", "award", "2.0", ("commitment", r["commitment"].pk, "COM")
        ),
    ]


def links(response: Any) -> dict[str, str | None]:
    """Evidence record label → where it links (None: shown without a link)."""
    found: dict[str, str | None] = {}
    for guarantee in response.context["explanation"].guarantees:
        for line in guarantee.lines:
            for record in line.records:
                found[record.label] = record.url
    return found


def test_staff_see_every_evidence_record_linked_to_its_page(
    unit: Unit, street_staff: User, records: dict[str, Any]
) -> None:
    make_score(unit, evidence=hand_made_evidence(records), vetoes=["p_fraud_veto"], grade="D")
    response = client_for(street_staff).get(score_url(unit))
    r = records
    assert links(response) == {
        "B1": reverse("sampling-detail", kwargs={"pk": r["batch"].pk}),
        "C-hidden": reverse("complaint-detail", kwargs={"pk": r["hidden_complaint"].pk}),
        "C-forwarded": reverse("complaint-detail", kwargs={"pk": r["forwarded_complaint"].pk}),
        "CHK": reverse("check-detail", kwargs={"pk": r["check"].pk}),
        "F1": reverse("check-detail", kwargs={"pk": r["check"].pk}),
        "PEN": reverse("record-edit", kwargs={"kind": "penalties", "pk": r["penalty"].pk}),
        "COM": reverse("unit-detail", kwargs={"pk": unit.pk}),
    }
    html = response.content.decode()
    for url in links(response).values():
        assert f'href="{url}"' in html


def test_leaders_follow_penalties_to_the_list_they_may_read(
    unit: Unit, leader: User, records: dict[str, Any]
) -> None:
    make_score(unit, evidence=hand_made_evidence(records))
    response = client_for(leader).get(score_url(unit))
    assert links(response)["PEN"] == reverse("record-list", kwargs={"kind": "penalties"})
    assert client_for(leader).get(links(response)["PEN"]).status_code == 200  # type: ignore[arg-type]


def test_the_operator_sees_their_own_pages_and_never_a_complaint_not_forwarded_to_them(
    unit: Unit, operator: User, records: dict[str, Any]
) -> None:
    make_score(unit, evidence=hand_made_evidence(records))
    response = client_for(operator).get(score_url(unit))
    r = records
    workspace = reverse("workspace-unit", kwargs={"pk": unit.pk}) + "#inspections-heading"
    assert links(response) == {
        "B1": workspace,
        "C-forwarded": reverse("workspace-complaint", kwargs={"pk": r["forwarded_complaint"].pk}),
        "CHK": workspace,
        "F1": workspace,
        "PEN": None,
        "COM": reverse("workspace-commitments", kwargs={"pk": unit.pk}),
    }
    html = response.content.decode()
    assert "C-hidden" not in html
    assert html.count('data-testid="evidence-hidden"') == 1
    # Every link the operator is given opens for them.
    own = client_for(operator)
    for url in {u.split("#")[0] for u in links(response).values() if u}:
        assert own.get(url).status_code == 200, url


def test_the_page_explains_a_veto_a_cap_and_the_rules(unit: Unit, district_staff: User) -> None:
    make_score(
        unit,
        quality="7.0",
        total=Decimal("79.0"),
        raw_grade="B",
        grade="D",
        capped_by="quality",
        vetoes=["p_fraud_veto"],
        evidence=[
            {
                "indicator": "p_fraud_veto",
                "label": "价格欺诈或哄抬价格受到处罚",
                "guarantee": "price",
                "kind": "veto",
                "count": 1,
                "points": "0.0",
                "records": [{"kind": "penalty", "id": 999, "label": "旅市监罚〔2026〕9号"}],
            },
            {
                "indicator": "q_sampling_fail",
                "label": "抽检不合格（以复检后的最终结论计）",
                "guarantee": "quality",
                "kind": "deduction",
                "count": 3,
                "points": "-8.0",
                "records": [],
            },
        ],
    )
    response = english(client_for(district_staff)).get(score_url(unit))
    html = response.content.decode()
    assert 'data-testid="score-vetoes"' in html
    assert "旅市监罚〔2026〕9号" in html
    cap = response.context["explanation"].cap
    assert (cap["points"], cap["below"], cap["grade"]) == (Decimal("7.0"), Decimal(8), "D")
    assert "Quality scored 7.0, below 8: the grade is capped at D" in html
    # The rule of the deduction: points per record and the floor, from the rubric version.
    assert "−4.0 per record, at most −8.0" in html
    assert 'data-testid="score-rubric">v2' in html  # version 2 is the active default
    assert "grade by total: B" in html


def test_the_engines_evidence_is_explained_line_by_line(
    unit: Unit, operator: User, street_staff: User, records: dict[str, Any]
) -> None:
    engine.score_units(periods.parse(PERIOD), unit_ids=[unit.pk])
    score = UnitScore.objects.get(unit=unit, period=PERIOD)
    assert score.vetoes == ["p_fraud_veto"]
    assert score.grade == "D"
    explanation = score_explanation(street_staff, score)
    lines = {line.code: line for g in explanation.guarantees for line in g.lines}
    assert lines["q_sampling_fail"].points == Decimal("-4.0")
    assert lines["q_sampling_fail"].records[0].url == reverse(
        "sampling-detail", kwargs={"pk": records["batch"].pk}
    )
    assert [line.code for line in explanation.vetoes] == ["p_fraud_veto"]
    # Each guarantee's lines add up to its points (before clamping to 0–20).
    for g in explanation.guarantees:
        total = sum((line.points for line in g.lines), Decimal(0))
        assert max(Decimal(0), min(Decimal(20), total)) == g.points, g.key
    response = client_for(operator).get(score_url(unit))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="evidence-line"') >= 6


def test_the_trend_lists_the_units_earlier_periods_of_the_same_kind(
    unit: Unit, street_staff: User
) -> None:
    for month, quality in (("2026-08", "10.0"), ("2026-09", "14.0"), ("2026-10", "16.0")):
        make_score(unit, month, quality=quality)
    make_score(unit, "2026-Q3")  # another kind of period: not in a monthly trend
    make_score(unit, "2026-11")
    response = client_for(street_staff).get(score_url(unit, "2026-10"))
    assert [s.period for s in response.context["trend"]] == ["2026-08", "2026-09", "2026-10"]
    html = response.content.decode()
    assert score_url(unit, "2026-09") in html


def test_the_score_page_has_a_constant_number_of_queries(
    unit: Unit,
    operator: User,
    records: dict[str, Any],
    django_assert_max_num_queries: Any,
) -> None:
    for month in ("2026-06", "2026-07", "2026-08", "2026-09", "2026-10"):
        make_score(unit, month, evidence=hand_made_evidence(records))
    score = make_score(unit, evidence=hand_made_evidence(records) * 5)
    for _ in range(4):
        make_appeal(score, operator, kind="reply", status="noted")
    own = client_for(operator)
    own.get(score_url(unit))  # warm the session and the caches
    with django_assert_max_num_queries(11):
        assert own.get(score_url(unit)).status_code == 200


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


# --- The operator's grades and the unit pages ------------------------------------------------


def test_the_operator_sees_the_latest_grade_of_each_of_their_units(
    unit: Unit, operator: User, dengfeng: Jurisdiction, other_unit: Unit
) -> None:
    second = more_units(dengfeng, 1)[0]
    second.owner = operator
    second.save()
    make_score(unit, "2026-10", quality="10.0")
    make_score(unit)
    make_score(other_unit)
    response = client_for(operator).get(reverse("operator-score-list"))
    rows = dict(response.context["rows"])
    assert set(rows) == {unit, second}
    assert rows[unit].period == PERIOD
    assert rows[second] is None
    assert score_url(unit) in response.content.decode()


def test_the_unit_pages_show_the_latest_grade_with_a_link(
    unit: Unit, operator: User, street_staff: User
) -> None:
    make_score(unit, "2026-10")
    make_score(unit, grade="C", quality="5.0")
    for user, page in (
        (street_staff, reverse("unit-detail", kwargs={"pk": unit.pk})),
        (operator, reverse("workspace-unit", kwargs={"pk": unit.pk})),
    ):
        html = client_for(user).get(page).content.decode()
        assert 'data-testid="grade-section"' in html
        assert f'href="{score_url(unit)}" data-testid="unit-grade-link"' in html


def test_the_grade_section_costs_one_query_and_respects_scope(
    unit: Unit,
    other_operator: User,
    street_staff: User,
    django_assert_num_queries: Any,
) -> None:
    for month in ("2026-07", "2026-08", "2026-09", "2026-10", PERIOD):
        make_score(unit, month)
    with django_assert_num_queries(1):
        context = grade_section(unit, street_staff)
    assert context is not None
    assert context["score"].period == PERIOD
    assert latest_scores(other_operator, [unit]) == {}


def test_the_list_without_any_score_is_empty_not_in_error(district_staff: User) -> None:
    response = client_for(district_staff).get(reverse("score-list"))
    assert response.status_code == 200
    assert not response.context["filter"].form.errors
    assert 'data-testid="empty-state"' in response.content.decode()


def test_the_hand_checked_world_lists_and_explains_as_computed(
    scoring_world: Any, district_staff: User, operator: User
) -> None:
    scoring_world.score()
    units = scoring_world.units
    staff = client_for(district_staff)

    def names(**query: str) -> set[str]:
        response = staff.get(reverse("score-list"), {"period": "2026-10", **query})
        return {score.unit.name for score in response.context["page"].object_list}

    assert names(capped="yes") == {units["capped"].name}
    assert names(vetoed="yes") == {units[n].name for n in ("incident", "listed", "fraud", "harmed")}
    assert names(grade="A") == {units["clean"].name}
    # The capped unit's operator (dave) sees why: quality 11, below 12, caps B at C.
    response = client_for(operator).get(score_url(units["capped"], "2026-10"))
    assert response.context["score"].grade == "C"
    cap = response.context["explanation"].cap
    assert (cap["points"], cap["below"], cap["grade"]) == (Decimal("11.0"), Decimal(12), "C")
    quality = response.context["explanation"].guarantees[0]
    assert quality.capping
    assert quality.key == "quality"
    fails = [line for line in quality.lines if line.code == "q_sampling_fail"]
    assert fails
    assert fails[0].count == 2
    assert len(fails[0].records) == 2
