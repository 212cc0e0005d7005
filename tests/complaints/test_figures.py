"""The complaint and survey figures against a fixture counted by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from complaints import services, services_followup
from complaints.figures import complaint_figures, survey_figures
from complaints.models import Complaint
from lyushunkou.models import Jurisdiction, User
from tests.complaints.helpers import register

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 11, 20)


def accepted(j: Jurisdiction, by: User, on: D) -> Complaint:
    complaint = register(j, on=on)
    return services.complaint_accept(complaint=complaint, by=by, version=complaint.version, on=on)


def concluded(
    j: Jurisdiction, by: User, outcome: str, satisfaction: str = "", **extra: object
) -> Complaint:
    complaint = accepted(j, by, D(2026, 10, 12))
    complaint = services.complaint_conclude(
        complaint=complaint,
        by=by,
        version=complaint.version,
        outcome=outcome,
        on=D(2026, 10, 20),
        **extra,  # type: ignore[arg-type]
    )
    if satisfaction:
        services_followup.complaint_record_satisfaction(
            complaint=complaint, by=by, answer=satisfaction
        )
    return complaint


def test_the_figures_match_a_hand_count(
    dengfeng: Jurisdiction, desheng: Jurisdiction, street_staff: User
) -> None:
    # October 2026 in 登峰街道:
    concluded(dengfeng, street_staff, "mediated", "satisfied", amount_recovered=Decimal("300"))
    concluded(dengfeng, street_staff, "mediated", "basically", amount_recovered=Decimal("120.50"))
    concluded(dengfeng, street_staff, "failed", "dissatisfied")
    concluded(dengfeng, street_staff, "terminated", "no_answer", termination_ground="absent")
    concluded(dengfeng, street_staff, "withdrawn")  # concluded, but not in the resolution rate
    refused = register(dengfeng, on=D(2026, 10, 12))
    services.complaint_refuse(
        complaint=refused,
        by=street_staff,
        version=refused.version,
        ground="elsewhere",
        on=D(2026, 10, 13),
    )
    register(dengfeng, on=D(2026, 10, 5))  # open and overdue since 15 Oct: stays in the denominator
    accepted(dengfeng, street_staff, D(2026, 10, 30))  # open, mediation due in December: excluded
    register(dengfeng, on=D(2026, 10, 8), kind="report")  # reports count nowhere
    register(desheng, on=D(2026, 10, 9))  # another street: out of scope for 登峰
    register(dengfeng, on=D(2026, 9, 30))  # received before the period

    figures = complaint_figures(
        start=D(2026, 10, 1), end=D(2026, 10, 31), jurisdiction=dengfeng, today=TODAY
    )
    # received in October in 登峰: 5 concluded + 1 refused + 1 overdue + 1 within limit = 8
    assert figures["received"] == 8
    assert figures["complaint_handling_rate"] == {
        "numerator": 6,
        "denominator": 7,
        "value": pytest.approx(6 / 7),
    }
    assert figures["complaint_resolution_rate"] == {
        "numerator": 2,
        "denominator": 4,
        "value": pytest.approx(2 / 4),
    }
    assert figures["complaint_satisfaction_rate"] == {
        "numerator": 2,
        "denominator": 3,
        "value": pytest.approx(2 / 3),
    }
    assert figures["amount_recovered"] == Decimal("420.50")

    district = complaint_figures(start=D(2026, 10, 1), end=D(2026, 10, 31), today=TODAY)
    assert district["received"] == 9  # plus 得胜's complaint
    assert district["complaint_handling_rate"]["denominator"] == 8


def test_no_data_is_none_never_zero_or_a_hundred(dengfeng: Jurisdiction) -> None:
    figures = complaint_figures(
        start=D(2026, 1, 1), end=D(2026, 1, 31), jurisdiction=dengfeng, today=TODAY
    )
    for key in (
        "complaint_handling_rate",
        "complaint_resolution_rate",
        "complaint_satisfaction_rate",
    ):
        assert figures[key] == {"numerator": 0, "denominator": 0, "value": None}


def test_survey_figures(dengfeng: Jurisdiction) -> None:
    answers = [
        (True, True, "satisfied"),
        (True, False, "basically"),
        (True, True, "dissatisfied"),
        (False, None, "neutral"),
        (False, None, "satisfied"),
    ]
    for aware, approves, life in answers:
        services_followup.survey_record(
            jurisdiction=dengfeng,
            answered_on=D(2026, 10, 3),
            aware=aware,
            approves=approves,
            life_services=life,
        )
    figures = survey_figures(start=D(2026, 10, 1), end=D(2026, 10, 31))
    assert figures["programme_awareness_rate"] == {
        "numerator": 3,
        "denominator": 5,
        "value": pytest.approx(3 / 5),
    }
    assert figures["programme_recognition_rate"] == {
        "numerator": 2,
        "denominator": 3,
        "value": pytest.approx(2 / 3),
    }
    assert figures["life_services_satisfaction"] == {
        "numerator": 3,
        "denominator": 5,
        "value": pytest.approx(3 / 5),
    }
