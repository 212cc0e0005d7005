"""The October 2026 world of the district targets, counted by hand (DESIGN.md §6, §7).

October 2026, evaluated on 20 November 2026. 登峰街道 is a demonstration area (designated in
January) with a population of 18,250; 得胜街道 has a little data of its own; the district's
population is the census figure of the jurisdictions migration (355,000).

``record_october`` builds it (the ``world`` fixture of tests/scoring/conftest.py);
``DENGFENG`` and ``DISTRICT`` are the figures expected of it, row by row as ``table`` gives
them. ``target_form`` is a target's admin form filled in, with changes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from complaints import services, services_followup
from complaints.models import Complaint
from lyushunkou.models import Jurisdiction, User
from scoring.models import DemonstrationArea, Target
from scoring.periods import parse
from tests.complaints.helpers import register
from tests.factories import ServiceStationFactory, UnitFactory
from tests.inspections.helpers import batch
from units.models import Unit

D = dt.date
TODAY = D(2026, 11, 20)
OCTOBER = parse("2026-10")
CERTIFIED = D(2026, 3, 1)


# --- The records --------------------------------------------------------------------------------


def accepted(j: Jurisdiction, by: User, on: D) -> Complaint:
    complaint = register(j, on=on)
    return services.complaint_accept(complaint=complaint, by=by, version=complaint.version, on=on)


def concluded(
    j: Jurisdiction, by: User, outcome: str, satisfaction: str = "", **extra: Any
) -> Complaint:
    complaint = accepted(j, by, D(2026, 10, 12))
    complaint = services.complaint_conclude(
        complaint=complaint,
        by=by,
        version=complaint.version,
        outcome=outcome,
        on=D(2026, 10, 20),
        **extra,
    )
    if satisfaction:
        services_followup.complaint_record_satisfaction(
            complaint=complaint, by=by, answer=satisfaction
        )
    return complaint


def complaints(dengfeng: Jurisdiction, desheng: Jurisdiction, bob: User, alice: User) -> None:
    concluded(dengfeng, bob, "mediated", "satisfied")
    concluded(dengfeng, bob, "mediated", "basically")
    concluded(dengfeng, bob, "mediated", "satisfied")
    concluded(dengfeng, bob, "failed", "satisfied")
    concluded(dengfeng, bob, "terminated", "no_answer", termination_ground="absent")
    concluded(dengfeng, bob, "withdrawn", "dissatisfied")  # handled; not in the resolution rate
    refused = register(dengfeng, on=D(2026, 10, 12))
    services.complaint_refuse(
        complaint=refused, by=bob, version=refused.version, ground="elsewhere", on=D(2026, 10, 13)
    )
    register(dengfeng, on=D(2026, 10, 5))  # open, acceptance overdue since mid-October
    accepted(dengfeng, bob, D(2026, 10, 30))  # open, mediation due in December: within limit
    register(dengfeng, on=D(2026, 10, 8), kind="report")  # a report: no complaint figure
    register(dengfeng, on=D(2026, 9, 30))  # received before the period
    concluded(desheng, alice, "mediated", "satisfied")


def surveys(dengfeng: Jurisdiction, desheng: Jurisdiction) -> None:
    answers = [
        (dengfeng, True, True, "satisfied"),
        (dengfeng, True, True, "basically"),
        (dengfeng, True, False, "dissatisfied"),
        (dengfeng, False, None, "neutral"),
        (dengfeng, False, None, "satisfied"),
        *[(desheng, True, True, "satisfied")] * 5,
    ]
    for place, aware, approves, life in answers:
        services_followup.survey_record(
            jurisdiction=place,
            answered_on=D(2026, 10, 3),
            aware=aware,
            approves=approves,
            life_services=life,
        )
    services_followup.survey_record(  # November: outside the period
        jurisdiction=dengfeng,
        answered_on=D(2026, 11, 3),
        aware=False,
        approves=None,
        life_services="dissatisfied",
    )


def sampling(dengfeng: Jurisdiction, desheng: Jurisdiction, bob: User, alice: User) -> None:
    october = D(2026, 10, 15)
    for result in ("pass", "pass", "pass", "fail"):
        batch(
            bob,
            dengfeng,
            category="key_goods",
            product_name="电热水壶",
            result=result,
            sampled_on=october,
        )
    for result in ("pass", "pass", "fail"):
        batch(bob, dengfeng, result=result, sampled_on=october)  # food, supervisory
    batch(bob, dengfeng, sampling_type="evaluative", sampled_on=october)
    batch(bob, dengfeng, sampling_type="risk_monitoring", sampled_on=october)
    batch(bob, dengfeng, sampling_type="rapid", sampled_on=october, result="fail")  # 快检: never
    batch(bob, dengfeng, result="pending", sampled_on=october)  # per thousand only
    batch(bob, dengfeng, category="other_goods", product_name="毛巾", sampled_on=october)
    for result in ("fail", "pass", "pass"):  # the same month a year earlier
        batch(bob, dengfeng, result=result, sampled_on=D(2025, 10, 15))
    batch(bob, dengfeng, result="fail", sampled_on=D(2026, 11, 2))  # after the period
    for _ in range(2):
        batch(alice, desheng, category="key_goods", product_name="儿童玩具", sampled_on=october)


def demo_unit(
    place: Jurisdiction,
    status: str,
    *,
    station: bool | None,
    certified_from: D = CERTIFIED,
) -> Unit:
    number = Unit.objects.count() + 1
    certificate = (
        {}
        if status == "none"
        else {
            "certificate_no": f"LSK-2026-{number:04d}",
            "certified_from": certified_from,
            "certified_until": certified_from + dt.timedelta(days=365),
        }
    )
    unit = UnitFactory.create(
        jurisdiction=place, name=f"示范单位{number}", demonstration_status=status, **certificate
    )
    if station is not None:
        ServiceStationFactory.create(unit=unit, active=station, registered_on=D(2026, 4, 1))
    return unit


def stations(dengfeng: Jurisdiction, desheng: Jurisdiction) -> None:
    demo_unit(dengfeng, "approved", station=True)
    demo_unit(dengfeng, "warning", station=True)
    demo_unit(dengfeng, "approved", station=None)
    demo_unit(dengfeng, "approved", station=False)  # a station no longer active
    demo_unit(dengfeng, "none", station=True)  # not a demonstration unit
    demo_unit(dengfeng, "revoked", station=True)  # no longer one
    demo_unit(dengfeng, "approved", station=True, certified_from=D(2026, 11, 5))  # after October
    demo_unit(desheng, "approved", station=True)


def record_october(
    dengfeng: Jurisdiction, desheng: Jurisdiction, bob: User, alice: User
) -> dict[str, Jurisdiction]:
    """The records of October 2026 above; ``bob`` is 登峰's street staff, ``alice`` the
    district's."""
    # A hand count of a few records each: the arithmetic, without the minimum sample
    # (tests/scoring/test_targets_minimum.py covers that).
    Target.objects.update(min_denominator=0)
    dengfeng.population = 18_250
    dengfeng.save(update_fields=["population"])
    DemonstrationArea.objects.create(jurisdiction=dengfeng, designated_on=D(2026, 1, 15))
    complaints(dengfeng, desheng, bob, alice)
    surveys(dengfeng, desheng)
    sampling(dengfeng, desheng, bob, alice)
    stations(dengfeng, desheng)
    return {"dengfeng": dengfeng, "desheng": desheng}


# --- Expected, by hand ----------------------------------------------------------------------------

# key: (numerator, denominator, value, threshold, met)
DENGFENG = {
    # key goods, supervisory + evaluative, final: 3 passed of 4
    "key_goods_sampling_pass_rate": (3, 4, 0.75, 0.96, False),
    # food batches except 快检, pending included: 3 supervisory + 1 evaluative + 1 risk monitoring
    # + 1 pending = 6, over 18.25 thousand residents × 31/365 days = 1.55
    "food_sampling_per_thousand": (6, 1.55, 3.870968, 2.0, True),
    # food, supervisory + evaluative, final: 3 passed of 4 (risk monitoring, 快检, pending out)
    "food_sampling_pass_rate": (3, 4, 0.75, 0.97, False),
    "life_services_satisfaction": (3, 5, 0.6, 0.8, False),
    # received 9 (6 concluded, 1 refused, 1 overdue, 1 within limit); handled 7 of 9 − 1
    "complaint_handling_rate": (7, 8, 0.875, 1.0, False),
    # 3 mediated ÷ (3 mediated + 1 failed + 1 terminated)
    "complaint_resolution_rate": (3, 5, 0.6, 0.9, False),
    # 4 satisfied or basically ÷ 5 answered: meets the district's 80%, not the area's 90%
    "complaint_satisfaction_rate": (4, 5, 0.8, 0.9, False),
    # approved + warning certified by October: 4; with an active station: 2
    "station_coverage": (2, 4, 0.5, 0.9, False),
    "programme_awareness_rate": (3, 5, 0.6, 0.8, False),
    "programme_recognition_rate": (2, 3, 0.666667, 0.9, False),
    # supervisory, final: 4 key goods + 3 food + 1 other goods, 2 failed; against 1 of 3 in
    # October 2025: it fell
    # Circulation-stage batches only: the key goods (production by default) are not counted.
    "problem_detection_rate": (1, 4, 0.25, None, True),
}
DISTRICT = {
    "key_goods_sampling_pass_rate": (5, 6, 0.833333, 0.96, False),
    "food_sampling_per_thousand": (6, 30.150685, 0.199, 2.0, False),
    "food_sampling_pass_rate": (3, 4, 0.75, 0.97, False),
    "life_services_satisfaction": (8, 10, 0.8, 0.8, True),
    "complaint_handling_rate": (8, 9, 0.888889, 1.0, False),
    "complaint_resolution_rate": (4, 6, 0.666667, 0.9, False),
    "complaint_satisfaction_rate": (5, 6, 0.833333, 0.8, True),
    "station_coverage": (3, 5, 0.6, 0.9, False),
    "programme_awareness_rate": (8, 10, 0.8, 0.8, True),
    "programme_recognition_rate": (7, 8, 0.875, 0.9, False),
    "problem_detection_rate": (1, 4, 0.25, None, True),
}


def table(result: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    return {
        row["key"]: (
            row["numerator"],
            row["denominator"],
            row["value"],
            row["threshold"],
            row["met"],
        )
        for row in result["targets"]
    }


# --- A target's admin form -----------------------------------------------------------------------


def target_form(target: Target, **changes: Any) -> dict[str, Any]:
    data = {
        "key": target.key,
        "label": target.label,
        "comparator": target.comparator,
        "threshold": str(target.threshold or ""),
        "unit_label": target.unit_label,
        "scope": target.scope,
        "jurisdiction": target.jurisdiction_id or "",
        "definition": target.definition,
        "min_denominator": target.min_denominator,
        "order": target.order,
        "active": "on" if target.active else "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}
