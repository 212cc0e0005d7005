"""Saving the planned complaints: the respondents and handlers from the database, then
``bulk_create`` batch by batch (the ``complaints`` seeder of ``lyushunkou.demo``)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import reset_queries, transaction
from django.db.models import F
from django.utils import timezone

from complaints.demo.data import OPERATORS, SIZES, SURVEYS_PER_COMPLAINT, UNIT_POOL
from complaints.demo.planner import ComplaintPlanner
from complaints.demo.planning import Respondent
from complaints.demo.workdays import FastCalendar
from complaints.models import (
    Complaint,
    ComplaintEvent,
    MediationRecord,
    SurveyResponse,
)
from lyushunkou import audit
from lyushunkou.models import Role, User
from units.demo import (
    _own_timestamps,
    _places,
)
from units.models import Unit

# --- Saving ------------------------------------------------------------------------------------


def _respondents() -> tuple[list[Respondent], list[Respondent]]:
    """A sample of the register to complain about, and the demo operators' units."""
    total = Unit.objects.count()
    step = max(1, total // UNIT_POOL)
    fields = ("id", "name", "credit_code", "address", "jurisdiction_id", "owner_id")
    qs = Unit.objects.order_by("id")
    if step > 1:
        qs = qs.annotate(sample=F("id") % step).filter(sample=0)
    pool = [Respondent(*values) for values in qs.values_list(*fields)[:UNIT_POOL]]
    operators = [
        Respondent(*values)
        for values in Unit.objects.filter(owner__username__in=OPERATORS)
        .order_by("id")
        .values_list(*fields)
    ]
    return pool, operators


def _handlers() -> tuple[dict[int, int], int | None]:
    """Who handles complaints: a street's own staff where it has some, else the district's."""
    staff = User.objects.filter(role=Role.STAFF, is_active=True).order_by("id")
    district = (
        staff.filter(username="staff", jurisdiction__isnull=True).first()
        or staff.filter(jurisdiction__isnull=True).first()
    )
    by_street: dict[int, int] = {}
    for user_id, jurisdiction_id in staff.filter(jurisdiction__isnull=False).values_list(
        "id", "jurisdiction_id"
    ):
        by_street.setdefault(jurisdiction_id, user_id)
    return by_street, (district.pk if district else None)


def seed_complaints(**options: Any) -> None:
    """The ``complaints`` seeder: ``seed_complaints(*, rng, scale, stdout, count=None)`` (see
    ``lyushunkou.demo``); ``count`` overrides the scale in tests.

    Untyped keywords because ``complaints.apps`` forwards the seeder protocol's ``**kwargs``.
    """
    _seed(**options)


def _seed(*, rng: random.Random, scale: str, stdout: Any, count: int | None = None) -> None:
    """Idempotent: the first record number this seed plans marks a register already seeded."""
    total = count if count is not None else SIZES[scale]
    places = _places()
    if not places:
        stdout.write("complaints: no active streets; skipped")
        return
    probe = random.Random()
    probe.setstate(rng.getstate())
    first = f"1210212{probe.randrange(10_000):04d}{0:06d}"
    if Complaint.objects.filter(record_no=first).exists():
        stdout.write("complaints: demo complaints already seeded; nothing to do")
        return

    started = timezone.now()
    today = timezone.localdate()
    units, operator_units = _respondents()
    handlers, district_handler = _handlers()
    planner = ComplaintPlanner(
        rng,
        count=total,
        places=places,
        units=units,
        operator_units=operator_units,
        handlers=handlers,
        district_handler=district_handler,
        calendar=FastCalendar(today - dt.timedelta(days=400), today + dt.timedelta(days=400)),
        today=today,
        now=timezone.now(),
    )
    timestamps = [
        Complaint._meta.get_field("created_at"),
        Complaint._meta.get_field("updated_at"),
        ComplaintEvent._meta.get_field("at"),
        SurveyResponse._meta.get_field("created_at"),
    ]
    done = events = mediations = 0
    with transaction.atomic(), _own_timestamps(*timestamps):
        for batch in planner.batches():
            Complaint.objects.bulk_create([planned.complaint for planned in batch])
            timeline = [event for planned in batch for event in planned.events]
            records = [record for planned in batch for record in planned.mediations]
            ComplaintEvent.objects.bulk_create(timeline, batch_size=5_000)
            MediationRecord.objects.bulk_create(records, batch_size=5_000)
            done += len(batch)
            events += len(timeline)
            mediations += len(records)
            stdout.write(f"complaints: {done}/{total}")
            reset_queries()  # with DEBUG on, Django keeps the SQL of every batch otherwise
        answers = planner.surveys(round(total * SURVEYS_PER_COMPLAINT), district_handler)
        SurveyResponse.objects.bulk_create(answers, batch_size=5_000)
        audit.record(
            "demo.complaints_seeded",
            scale=scale,
            complaints=done,
            events=events,
            mediation_records=mediations,
            surveys=len(answers),
        )
    seconds = (timezone.now() - started).total_seconds()
    stdout.write(
        f"complaints: seeded {done} complaints and reports, {events} timeline events, "
        f"{len(answers)} survey answers in {seconds:.1f} s"
    )
