"""Demonstration status follows grades: warning on a grade below B or a veto, back to approved
when re-scored to B or better; revocation stays with staff.

The grade is one criterion of the demonstration-unit standard, and scoring moves units through
the standard (units.services_status): here the standard is the grade criterion alone, so that
these tests are about grades (tests/units/test_reevaluation.py checks the whole standard)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lyushunkou.models import AuditEvent, Notification, Role, User
from scoring.grading import engine
from scoring.models import UnitScore
from tests.conftest import make_user
from tests.scoring.conftest import IN_WINDOW, ScoringWorld, batch, make_demonstration
from units import services
from units.models import DemonstrationStatus, Unit
from units.models_standard import StandardCriterion

pytestmark = pytest.mark.django_db

APPROVED, WARNING = DemonstrationStatus.APPROVED, DemonstrationStatus.WARNING


@pytest.fixture(autouse=True)
def _grade_only_standard(db: None) -> None:
    StandardCriterion.objects.exclude(rule="grade").update(active=False)


def system_warning(unit: Unit) -> Unit:
    """In warning because the standard lapsed: the system lifts it when the standard is met."""
    Unit.objects.filter(pk=unit.pk).update(warning_automatic=True)
    unit.refresh_from_db()
    return unit


def status_of(unit: Unit) -> tuple[str, str]:
    unit.refresh_from_db()
    return unit.demonstration_status, unit.status_reason


def test_an_approved_unit_graded_c_goes_to_warning_and_staff_are_told(
    scoring_world: ScoringWorld, district_staff: User, street_staff: User, desheng: object
) -> None:
    other_street = make_user("olivia", Role.STAFF, desheng)  # type: ignore[arg-type]
    capped = make_demonstration(scoring_world.units["capped"])  # in 登峰, grade C
    summary = scoring_world.score()
    assert summary["warned"] == 1
    status, reason = status_of(capped)
    assert status == WARNING
    assert "C" in reason
    assert "2026-10" in reason
    assert capped.plaque_status(dt.date(2026, 11, 10)) == "warning"
    assert capped.rectify_by == dt.date(2026, 10, 31) + dt.timedelta(days=30)  # from the scores
    told = Notification.objects.filter(key__startswith=f"unit:{capped.pk}:warning:")
    staff = told.filter(user__role=Role.STAFF)
    assert set(staff.values_list("user", flat=True)) == {district_staff.pk, street_staff.pk}
    assert not Notification.objects.filter(user=other_street).exists()
    assert staff.first().link == reverse("unit-detail", args=[capped.pk])  # type: ignore[union-attr]
    if capped.owner_id:  # and the operator, on their workspace
        assert told.filter(user=capped.owner_id, link=reverse("workspace")).exists()
    event = AuditEvent.objects.get(action="unit.demonstration_warning", object_id=str(capped.pk))
    assert (event.actor, event.username) == (None, "system")


def test_a_veto_puts_even_a_high_scoring_unit_in_warning(scoring_world: ScoringWorld) -> None:
    fraud = make_demonstration(scoring_world.units["fraud"])  # total 92, price-fraud veto
    scoring_world.score()
    status, reason = status_of(fraud)
    assert status == WARNING
    assert "一票否决" in reason
    assert "2026-10" in reason


def test_a_unit_in_warning_rescored_to_b_is_approved_again(scoring_world: ScoringWorld) -> None:
    retest = system_warning(make_demonstration(scoring_world.units["retest"], WARNING))  # B
    summary = scoring_world.score()
    assert summary["restored"] == 1
    status, reason = status_of(retest)
    assert status == APPROVED
    assert "2026-10-31" in reason  # met again, as of the scores' date
    assert retest.rectify_by is None
    assert AuditEvent.objects.filter(
        action="unit.demonstration_rectified", object_id=str(retest.pk), username="system"
    ).exists()


def test_a_staff_warning_is_left_to_staff_even_when_the_grade_is_good(
    scoring_world: ScoringWorld,
) -> None:
    retest = make_demonstration(scoring_world.units["retest"], WARNING)  # grade B
    assert scoring_world.score()["restored"] == 0
    assert status_of(retest) == (WARNING, "已有预警")


def test_a_unit_in_warning_that_stays_below_b_stays_in_warning(
    scoring_world: ScoringWorld, district_staff: User
) -> None:
    findings = make_demonstration(scoring_world.units["findings"], WARNING)  # grade C
    scoring_world.score()
    assert status_of(findings) == (WARNING, "已有预警")
    assert not Notification.objects.exists()


def test_good_grades_leave_approved_units_alone(
    scoring_world: ScoringWorld, district_staff: User
) -> None:
    clean = make_demonstration(scoring_world.units["clean"])
    retest = make_demonstration(scoring_world.units["retest"])
    summary = scoring_world.score()
    assert (summary["warned"], summary["restored"]) == (0, 0)
    assert status_of(clean)[0] == status_of(retest)[0] == APPROVED
    assert not Notification.objects.exists()


def test_scoring_never_revokes_and_never_touches_revoked_units(
    scoring_world: ScoringWorld, district_staff: User
) -> None:
    capped = make_demonstration(scoring_world.units["capped"])
    services.unit_revoke(unit=capped, by=district_staff, reason="多次抽检不合格")
    scoring_world.score()
    scoring_world.score()
    assert status_of(capped)[0] == DemonstrationStatus.REVOKED


def test_a_second_run_does_not_warn_or_notify_twice(
    scoring_world: ScoringWorld, district_staff: User
) -> None:
    capped = make_demonstration(scoring_world.units["capped"])
    scoring_world.score()
    again = scoring_world.score()
    assert again["warned"] == 0
    assert Notification.objects.filter(user=district_staff).count() == 1
    assert (
        AuditEvent.objects.filter(
            action="unit.demonstration_warning", object_id=str(capped.pk)
        ).count()
        == 1
    )


def test_a_rescore_after_a_warning_lifts_it_when_the_records_are_corrected(
    scoring_world: ScoringWorld,
) -> None:
    capped = make_demonstration(scoring_world.units["capped"])
    scoring_world.score()
    assert status_of(capped)[0] == WARNING
    # The unit's failure was recorded against the wrong unit: staff move it, then re-score it.
    scoring_world.records["failure_1"].unit = scoring_world.units["bare"]
    scoring_world.records["failure_1"].save()
    scoring_world.score(unit_ids=[capped.pk])  # quality 19 − 4 = 15, total 88 → B
    assert UnitScore.objects.get(unit=capped, period="2026-10").grade == "B"
    assert status_of(capped)[0] == APPROVED


def test_rescoring_an_older_period_does_not_override_a_later_grade(
    scoring_world: ScoringWorld,
) -> None:
    retest = make_demonstration(scoring_world.units["retest"])
    scoring_world.score()  # October: B, stays approved
    batch(retest, IN_WINDOW, "fail")
    batch(retest, IN_WINDOW, "fail")
    batch(retest, IN_WINDOW, "fail")
    # September re-scored now would be C (18 − 8 = 10 < 12), but October's score is later.
    engine.score_units(scoring_world.period.previous(), today=scoring_world.today)
    assert UnitScore.objects.get(unit=retest, period="2026-09").grade == "C"
    assert status_of(retest)[0] == APPROVED
