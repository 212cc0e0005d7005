"""The score page (why a unit has its grade, issue 6 item 3): the evidence, its rules and its
links, the trend and the query count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import services as complaint_services
from inspections import services_checks as checks
from lyushunkou.models import Jurisdiction, User
from scoring import periods
from scoring.grading import engine
from scoring.grading.access import score_explanation
from scoring.models import UnitScore
from tests.complaints.helpers import register as register_complaint
from tests.conftest import client_for
from tests.helpers import english
from tests.inspections.helpers import batch as record_batch
from tests.scoring.matrix_scores import make_appeal, make_score
from tests.scoring.scores_helpers import PERIOD, score_url
from units import services as unit_services
from units.models import Unit

pytestmark = pytest.mark.django_db


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
