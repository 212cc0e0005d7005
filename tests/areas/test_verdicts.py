"""The verdicts of the demonstration-area standard (issue 21 item 3).

The hand-checked fixture of the issue: two streets, 登峰 meeting every item and 得胜 missing its
emergency plan with 85% complaint satisfaction. 登峰 meets the standard; 得胜 does not, and the
verdict names exactly the two items it misses. The district needs its own items and every street.
"""

from __future__ import annotations

import pytest
from django.utils import translation

from areas.facts import load_facts
from areas.models import Verdict
from areas.standard import area_check, district_report
from lyushunkou.models import Jurisdiction, User
from tests.areas.helpers import YEAR, meet_every_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_streets(dengfeng: Jurisdiction, desheng: Jurisdiction, district_staff: User) -> None:
    meet_every_item(dengfeng, YEAR, district_staff)
    meet_every_item(
        desheng,
        YEAR,
        district_staff,
        skip=("safety_emergency",),
        figures={"complaint_satisfaction_rate": "0.85"},
    )


def test_a_street_meeting_every_item_meets_the_standard(
    two_streets: None, dengfeng: Jurisdiction
) -> None:
    report = area_check(dengfeng, load_facts(YEAR))

    assert [outcome.status for outcome in report.outcomes] == ["met"] * 11
    assert report.verdict == Verdict.MET
    assert report.unmet == []


def test_a_street_without_its_emergency_plan_and_at_85_percent_does_not_meet_it(
    two_streets: None, desheng: Jurisdiction
) -> None:
    report = area_check(desheng, load_facts(YEAR))

    assert report.verdict == Verdict.NOT_MET
    assert [(o.code, o.status) for o in report.unmet] == [
        ("safety_emergency", "no_data"),
        ("targets", "not_met"),
    ]


def test_the_unmet_items_say_why_in_words(two_streets: None, desheng: Jurisdiction) -> None:
    with translation.override("en"):
        report = area_check(desheng, load_facts(YEAR))
        plan, targets = report.unmet

        assert plan.label.startswith("A safety management responsibility system")
        assert "Nothing is recorded for 2025" in plan.result.detail
        assert "投诉处理满意率：85.0%, 90.0% required" in targets.result.detail
        assert "投诉处理率：100.0%" in targets.result.detail


def test_the_unmet_items_link_to_their_records(two_streets: None, desheng: Jurisdiction) -> None:
    plan, targets = area_check(desheng, load_facts(YEAR)).unmet

    assert plan.result.records[0].url == (
        f"/areas/staff/{desheng.code}/{YEAR}/items/safety_emergency/"
    )
    assert targets.result.records[0].url == f"/dashboard/?period={YEAR}&scope={desheng.code}"


def test_the_district_does_not_meet_the_standard_while_a_street_does_not(
    two_streets: None, district: Jurisdiction, district_staff: User, desheng: Jurisdiction
) -> None:
    Jurisdiction.objects.filter(kind="street").exclude(
        code__in=["210212001000", desheng.code]
    ).update(active=False)
    meet_every_item(district, YEAR, district_staff)

    report = district_report(YEAR)

    assert report.own.verdict == Verdict.MET
    assert [street.place.code for street in report.streets_short] == [desheng.code]
    assert report.verdict == Verdict.NOT_MET


def test_the_district_meets_the_standard_once_every_street_and_its_own_items_do(
    dengfeng: Jurisdiction, district: Jurisdiction, district_staff: User
) -> None:
    Jurisdiction.objects.filter(kind="street").exclude(pk=dengfeng.pk).update(active=False)
    meet_every_item(dengfeng, YEAR, district_staff)
    meet_every_item(district, YEAR, district_staff)

    assert district_report(YEAR).verdict == Verdict.MET


def test_the_district_lacking_its_own_item_is_incomplete(
    dengfeng: Jurisdiction, district: Jurisdiction, district_staff: User
) -> None:
    Jurisdiction.objects.filter(kind="street").exclude(pk=dengfeng.pk).update(active=False)
    meet_every_item(dengfeng, YEAR, district_staff)
    meet_every_item(district, YEAR, district_staff, skip=("joint_conference",))

    report = district_report(YEAR)

    assert report.verdict == Verdict.INCOMPLETE
    assert [o.code for o in report.own.unmet] == ["joint_conference"]


def test_a_street_with_nothing_recorded_has_incomplete_materials(desheng: Jurisdiction) -> None:
    report = area_check(desheng, load_facts(YEAR))

    assert report.verdict == Verdict.INCOMPLETE
    assert {o.status for o in report.outcomes} == {"no_data"}
    assert len(report.unmet) == 11


def test_a_years_verdicts_take_the_same_queries_however_many_records(
    two_streets: None, django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        report = district_report(YEAR)
    assert len(report.streets) == Jurisdiction.objects.filter(kind="street").count()
