"""The scoring seeder of ``seed_demo``: demonstration areas with their checklists, grades for the
last months and the targets' summary rows for a trend; idempotent; run after the other seeders."""

from __future__ import annotations

import io
import random

import pytest
from django.utils import timezone

from complaints.demo import seed_complaints
from inspections.demo import seed_inspections
from lyushunkou import demo
from lyushunkou.demo import create_demo_accounts
from lyushunkou.models import Jurisdiction, User
from scoring.demo import DEMO_AREAS, SCORED_MONTHS, seed_scoring
from scoring.models import ChecklistItem, DemonstrationArea, TargetResult, UnitScore
from scoring.periods import MONTH, QUARTER, YEAR, current
from units.demo import seed_units

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # seeds demo data: tens of seconds


def seed_scoring_once() -> str:
    out = io.StringIO()
    seed_scoring(rng=random.Random("1:scoring"), scale="district", stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded() -> None:
    create_demo_accounts()
    quiet = io.StringIO()
    seed_units(rng=random.Random("1:units"), scale="district", stdout=quiet, count=200)
    seed_complaints(rng=random.Random("1:complaints"), scale="district", stdout=quiet, count=200)
    seed_inspections(rng=random.Random("1:inspections"), scale="district", stdout=quiet, count=150)


@pytest.mark.usefixtures("seeded")
def test_it_leaves_a_living_dashboard_behind() -> None:
    out = seed_scoring_once()
    today = timezone.localdate()

    areas = DemonstrationArea.objects.select_related("jurisdiction")
    assert sorted(a.jurisdiction.code for a in areas) == sorted(code for code, _, _ in DEMO_AREAS)
    assert all(a.designated_on < today for a in areas)
    items = ChecklistItem.objects.all()
    assert items.count() == sum(len(checklist) for _, _, checklist in DEMO_AREAS)
    confirmed = items.filter(confirmed_at__isnull=False)
    assert confirmed.exists()
    assert items.filter(done=True, confirmed_at__isnull=True).exists()
    assert {u.username for u in User.objects.filter(pk__in=confirmed.values("confirmed_by"))} == {
        "staff"
    }
    assert not confirmed.filter(done=False).exists()

    months = current(MONTH, today).last(SCORED_MONTHS["district"])
    assert set(UnitScore.objects.values_list("period", flat=True)) == {p.key for p in months}

    trend = [
        *current(MONTH, today).last(12),
        *current(QUARTER, today).last(4),
        *current(YEAR, today).last(2),
    ]
    assert set(TargetResult.objects.values_list("period", flat=True)) == {p.key for p in trend}
    scopes = 1 + Jurisdiction.objects.filter(active=True).exclude(kind="district").count()
    assert TargetResult.objects.count() == len(trend) * scopes * 11
    this_year = TargetResult.objects.filter(period=str(today.year), scope_code="district")
    assert this_year.filter(value__isnull=False).count() >= 8  # a year of data: most have one
    assert "scoring:" in out


@pytest.mark.usefixtures("seeded")
def test_running_it_again_changes_nothing_staff_recorded() -> None:
    seed_scoring_once()
    item = ChecklistItem.objects.filter(done=False).first()
    assert item is not None
    ChecklistItem.objects.filter(pk=item.pk).update(evidence_note="已由工作人员更新")
    counts = (
        DemonstrationArea.objects.count(),
        ChecklistItem.objects.count(),
        UnitScore.objects.count(),
        TargetResult.objects.count(),
    )
    out = seed_scoring_once()
    assert "0 new demonstration areas, 0 checklist items" in out
    assert (
        DemonstrationArea.objects.count(),
        ChecklistItem.objects.count(),
        UnitScore.objects.count(),
        TargetResult.objects.count(),
    ) == counts
    item.refresh_from_db()
    assert item.evidence_note == "已由工作人员更新"


def test_seed_demo_runs_it_after_the_other_apps_seeders() -> None:
    # Registered from ScoringConfig.ready(), which runs after units, complaints and inspections
    # (and before the apps above scoring, such as areas, whose seeders read grades and targets).
    names = [name for name, _ in demo.SEEDERS]
    below = names[: names.index("scoring")]
    assert {"units", "complaints", "inspections"} <= set(below)


def test_the_apps_above_scoring_seed_after_it() -> None:
    names = [name for name, _ in demo.SEEDERS]
    assert names.index("areas") > names.index("scoring")
