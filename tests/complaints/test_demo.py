"""The complaints seeder of ``seed_demo``: deterministic, idempotent, every state, consistent."""

from __future__ import annotations

import datetime as dt
import io
import random

import pytest
from django.db.models import Count
from django.utils import timezone

from complaints import clocks
from complaints.access import complaints_for_user
from complaints.demo import FastCalendar, seed_complaints
from complaints.models import (
    Complaint,
    ComplaintEvent,
    Kind,
    Outcome,
    Status,
    SurveyResponse,
)
from lyushunkou import crypto
from lyushunkou.demo import SEEDERS, create_demo_accounts
from lyushunkou.models import User
from lyushunkou.workdays import deadline
from units.demo import seed_units

pytestmark = pytest.mark.django_db

COUNT = 300


def seed(seed: int = 1) -> str:
    out = io.StringIO()
    seed_complaints(
        rng=random.Random(f"{seed}:complaints"), scale="district", stdout=out, count=COUNT
    )
    return out.getvalue()


@pytest.fixture
def register_seeded() -> None:
    create_demo_accounts()
    seed_units(rng=random.Random("1:units"), scale="district", stdout=io.StringIO(), count=300)


def snapshot() -> list[tuple[object, ...]]:
    return list(
        Complaint.objects.order_by("record_no").values_list(
            "record_no", "kind", "status", "complainant_name", "received_at", "outcome", "unit_id"
        )
    )


def test_it_is_registered_with_seed_demo() -> None:
    assert "complaints" in [name for name, _ in SEEDERS]


def test_it_is_deterministic_and_idempotent(register_seeded: None) -> None:
    out = seed()
    assert f"complaints: {COUNT}/{COUNT}" in out
    first = snapshot()
    events = ComplaintEvent.objects.count()
    surveys = SurveyResponse.objects.count()
    assert len(first) == COUNT
    assert surveys == COUNT // 5
    assert "already seeded; nothing to do" in seed()
    assert snapshot() == first
    assert ComplaintEvent.objects.count() == events
    assert SurveyResponse.objects.count() == surveys
    # The same seed on an empty register gives the same complaints.
    Complaint.objects.all().delete()
    SurveyResponse.objects.all().delete()
    seed()
    assert snapshot() == first


def test_every_state_and_outcome_is_present(register_seeded: None) -> None:
    seed()
    statuses = set(Complaint.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    outcomes = set(
        Complaint.objects.filter(status=Status.CONCLUDED).values_list("outcome", flat=True)
    )
    assert outcomes == set(Outcome.values) - {Outcome.REFUSED}
    reports = set(Complaint.objects.filter(kind=Kind.REPORT).values_list("status", flat=True))
    assert reports == {Status.REGISTERED, Status.VERIFYING, Status.CASE_OPENED, Status.NOT_OPENED}
    today = timezone.localdate()
    assert Complaint.objects.filter(status=Status.REGISTERED, current_due__lt=today).exists()
    assert Complaint.objects.filter(status=Status.MEDIATING, current_due__lt=today).exists()
    assert Complaint.objects.filter(status=Status.MEDIATING, current_due__gte=today).exists()
    assert Complaint.objects.exclude(satisfaction="").count() > 0
    assert Complaint.objects.filter(odr_escalated=True).exists()


def test_the_demo_operators_see_a_few_forwarded_complaints(register_seeded: None) -> None:
    seed()
    operator = User.objects.get(username="operator")
    operator2 = User.objects.get(username="operator2")
    seen = complaints_for_user(operator).count() + complaints_for_user(operator2).count()
    assert seen >= 6
    assert complaints_for_user(operator).filter(status=Status.ODR).exists() or (
        complaints_for_user(operator2).filter(status=Status.ODR).exists()
    )


def test_the_data_is_consistent(register_seeded: None) -> None:
    seed()
    complaints = list(Complaint.objects.prefetch_related("events"))
    linked = sum(1 for c in complaints if c.unit_id)
    assert 0.55 < linked / COUNT < 0.9
    now = timezone.now()
    for complaint in complaints:
        events = list(complaint.events.all())
        assert events[0].action == "registered"
        steps = [e for e in events if e.to_status]
        assert steps[-1].to_status == complaint.status, complaint.record_no
        assert complaint.version == len(events)
        assert all(e.at <= now for e in events)
        assert [e.at for e in events] == sorted(e.at for e in events), complaint.record_no
        received_on = timezone.localdate(complaint.received_at)
        if complaint.kind == Kind.COMPLAINT:
            assert complaint.acceptance_due == clocks.acceptance_due(received_on).date
        else:
            assert complaint.report_due == clocks.report_due(received_on).date
        if complaint.accepted_on:
            assert complaint.mediation_due == clocks.mediation_due(complaint.accepted_on).date
            assert complaint.accepted_on >= received_on
        if complaint.concluded_on:
            assert complaint.concluded_on <= timezone.localdate()
            assert complaint.current_due is None
        if complaint.status == Status.CONCLUDED and complaint.outcome == Outcome.TERMINATED:
            assert complaint.termination_ground
        if complaint.status == Status.REFUSED:
            assert complaint.refusal_ground
        if complaint.odr_forwarded_on:
            assert complaint.unit is not None
            assert complaint.unit.owner_id is not None
        if complaint.status == Status.ODR:  # else the daily job would have escalated it
            assert complaint.odr_due is not None
            assert complaint.odr_due >= timezone.localdate()
        if complaint.complainant_id_hash:
            number = crypto.decrypt(complaint.complainant_id_encrypted)
            assert crypto.keyed_hash(number) == complaint.complainant_id_hash
    counts = dict(Complaint.objects.values_list("channel").annotate(n=Count("id")))
    assert counts["platform"] + counts["hotline"] > COUNT * 0.7


def test_survey_answers_have_realistic_rates(register_seeded: None) -> None:
    seed()
    answers = list(SurveyResponse.objects.all())
    aware = [a for a in answers if a.aware]
    assert 0.7 < len(aware) / len(answers) < 0.97
    assert all(a.approves is None for a in answers if not a.aware)


def test_the_fast_calendar_agrees_with_the_clocks(db: None) -> None:
    today = timezone.localdate()
    calendar = FastCalendar(today - dt.timedelta(days=400), today + dt.timedelta(days=400))
    rng = random.Random(3)
    for _ in range(60):
        day = today - dt.timedelta(days=rng.randrange(380))
        for days in (7, 10, 15, 45):
            assert calendar.add(day, days) == deadline(day, days)
    national_day = dt.date(2026, 9, 30)
    if calendar.start <= national_day:
        assert calendar.add(national_day, 7).date == dt.date(2026, 10, 15)


def test_it_seeds_without_units_or_staff(db: None) -> None:
    out = seed()
    assert f"complaints: {COUNT}/{COUNT}" in out
    assert Complaint.objects.filter(unit__isnull=False).count() == 0
    assert not Complaint.objects.filter(status=Status.ODR).exists()
