"""The calibration report (issue 13): ``manage.py rubric_report`` and the page, on the v2
fixture of tests/scoring/test_rubric_v2.py; a draft that raises the price baseline is previewed
beside the active version, with the units whose grade would change, then activated."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from lyushunkou.models import Jurisdiction, User
from scoring.grading import calibration
from scoring.grading import rubric as rubrics
from scoring.models import Indicator, Rubric, UnitScore
from tests.conftest import client_for
from tests.scoring.conftest import IN_WINDOW, PERIOD, TODAY, check, make_unit
from tests.scoring.test_rubric_v2 import STAFF_VERIFIED, build_world, verify_by_staff
from units.models import ServiceStation, Unit

pytestmark = pytest.mark.django_db


def raise_price_baseline(by: User) -> Rubric:
    """A draft of v2 whose price baseline is 16 instead of 12 (the check award then caps at 4)."""
    draft = rubrics.copy_as_draft(rubrics.active_rubric(), by)
    Indicator.objects.filter(rubric=draft, code="p_base").update(points=16, limit=16)
    Indicator.objects.filter(rubric=draft, code="p_check_pass").update(points=4, limit=4)
    return draft


@pytest.fixture
def world(district_staff: User, dengfeng: Jurisdiction) -> dict[str, Unit]:
    return build_world(district_staff, dengfeng)


@pytest.fixture
def near_b(world: dict[str, Unit], district_staff: User, dengfeng: Jurisdiction) -> Unit:
    """Verified first-asking, advance compensation and public service commitments, a verified
    station and a passed safety check, nothing on quality or price: 12 + 18 + 12 + 14 + 16 = 72
    (C)."""
    unit = make_unit(
        "差一点到B的店",
        dengfeng,
        commitments=("first_ask", "advance_comp", "service"),
        station=True,
    )
    verify_by_staff(unit, district_staff, "first_ask", "advance_comp", "service")
    ServiceStation.objects.filter(unit=unit).update(
        verified_at=STAFF_VERIFIED, verified_by=district_staff
    )
    check(unit, district_staff, IN_WINDOW, "safety")
    return unit


def report_json(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("rubric_report", "--period", PERIOD.key, "--json", *args, stdout=out)
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def test_the_report_counts_not_graded_units_apart(world: dict[str, Unit]) -> None:
    report = report_json()
    assert report["rubric"] == 2
    assert report["overall"] == {"A": 1, "B": 1, "C": 4, "D": 4, "U": 2}
    assert (report["units"], report["graded"]) == (12, 10)
    assert report["per_guarantee"]["rights"]["no evidence"] == 6
    assert report["per_street"] == {"登峰街道": {"A": 1, "B": 1, "C": 4, "D": 4, "U": 2}}


def test_the_report_stores_nothing(world: dict[str, Unit]) -> None:
    before = list(UnitScore.objects.values_list("pk", "grade"))
    report_json()
    assert list(UnitScore.objects.values_list("pk", "grade")) == before


def test_the_indicators_that_moved_the_most_units_come_first(world: dict[str, Unit]) -> None:
    movers = report_json()["movers"]
    assert movers[0] == {
        "indicator": "s_check_pass",
        "label": "安全检查全部合格",
        "guarantee": "safety",
        "kind": "award",
        "units": 9,
        "points": "54.0",
    }


def test_a_draft_is_shown_beside_the_active_rubric_with_the_units_that_change(
    near_b: Unit, sysadmin: User
) -> None:
    draft = raise_price_baseline(sysadmin)
    report = report_json("--rubric", str(draft.version))
    assert (report["rubric_status"], report["compared_with"]) == ("draft", 2)
    assert report["compared"] == {"A": 1, "B": 1, "C": 5, "D": 4, "U": 2}
    # Price +4 without a passed price check (+2 with one): 72 → 76 lifts the near-B unit; 68 →
    # 72 stays C; 61 → 65, 60 → 64 and 58 → 62 stay D, capped by their rights points.
    changed = [(c["name"], c["from"], c["to"]) for c in report["changes"]]
    assert changed == [("差一点到B的店", "C", "B")]
    assert report["overall"] == {"A": 1, "B": 2, "C": 4, "D": 4, "U": 2}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2026-13"], "2026-13"),
        (["--period", "2026-10", "--rubric", "99"], "99"),
        (["--period", "2026-10", "--rubric", "abc"], "abc"),
    ],
)
def test_a_bad_period_or_unknown_version_fails_with_one_line(args: list[str], message: str) -> None:
    with pytest.raises(CommandError) as failure:
        call_command("rubric_report", *args, stdout=StringIO())
    assert message in str(failure.value)
    assert "\n" not in str(failure.value)


def test_the_command_prints_a_readable_report(world: dict[str, Unit]) -> None:
    out = StringIO()
    call_command("rubric_report", "--period", PERIOD.key, stdout=out)
    text = out.getvalue()
    assert "12 units, 10 graded" in text
    assert "U 2" in text


# --- The page ------------------------------------------------------------------------------


def test_the_sysadmin_previews_a_draft_and_activates_it(near_b: Unit, sysadmin: User) -> None:
    draft = raise_price_baseline(sysadmin)
    client = client_for(sysadmin)
    page = client.get(
        reverse("rubric-calibration"), {"period": PERIOD.key, "rubric": str(draft.version)}
    )
    assert page.status_code == 200
    assert b'data-testid="calibration-changes"' in page.content
    assert "差一点到B的店" in page.content.decode()
    asked = client.post(
        reverse("admin:scoring_rubric_changelist"),
        {"action": "activate", "_selected_action": [draft.pk]},
    )
    assert b'data-testid="activation-distribution"' in asked.content
    client.post(
        reverse("admin:scoring_rubric_changelist"),
        {"action": "activate", "_selected_action": [draft.pk], "confirmed": "yes"},
    )
    draft.refresh_from_db()
    assert draft.status == "active"


def test_street_staff_see_the_counts_but_only_their_own_units_change(
    near_b: Unit, sysadmin: User, street_staff: User, desheng: Any
) -> None:
    draft = raise_price_baseline(sysadmin)
    report = calibration.build(
        PERIOD, draft, today=TODAY, scope=calibration_scope_of_another_street(desheng)
    )
    assert report.changed == 1
    assert report.changes == []
    page = client_for(street_staff).get(
        reverse("rubric-calibration"), {"period": PERIOD.key, "rubric": str(draft.version)}
    )
    assert page.status_code == 200
    assert "差一点到B的店" in page.content.decode()


def calibration_scope_of_another_street(street: Any) -> Any:
    from lyushunkou.access import within

    return within(street)


def test_a_bad_period_on_the_page_says_so(sysadmin: User) -> None:
    page = client_for(sysadmin).get(reverse("rubric-calibration"), {"period": "2026-13"})
    assert page.status_code == 400
    assert b'data-testid="calibration-error"' in page.content


@pytest.mark.parametrize("persona", ["leader", "operator", "auditor", "secadmin"])
def test_other_roles_cannot_open_the_calibration_page(
    persona: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("rubric-calibration")).status_code == 403
