"""The grading evidence of the scoring seeder (``scoring.demo_evidence``), written a chunk of
units at a time (issue 17): the chunk changes nothing a seed gives."""

from __future__ import annotations

import io
import random

import pytest
from django.db import transaction
from django.utils import timezone

from inspections.demo import seed_inspections
from inspections.models import CheckItem, OnSiteCheck
from lyushunkou.demo import create_demo_accounts
from lyushunkou.models import User
from scoring import demo_evidence
from units.demo import seed_units
from units.models import Commitment, ServiceStation

pytestmark = pytest.mark.django_db


def _records() -> list[list[tuple[object, ...]]]:
    """The records the evidence touches, in primary-key order, without keys and moments."""
    return [
        list(
            OnSiteCheck.objects.order_by("pk").values_list(
                "unit_id", "check_type", "checked_on", "inspectors", "staff_id"
            )
        ),
        list(
            CheckItem.objects.order_by("pk").values_list(
                "check_record__unit_id", "check_record__check_type", "item", "passed"
            )
        ),
        list(
            Commitment.objects.order_by("pk").values_list(
                "unit_id",
                "kind",
                "content",
                "committed_on",
                "return_days",
                "verified_by_id",
                "verification_note",
            )
        ),
        list(ServiceStation.objects.order_by("pk").values_list("unit_id", "verified_by_id")),
    ]


def _seed(staff: User) -> int:
    return demo_evidence.seed_grading_evidence(
        rng=random.Random(5), today=timezone.localdate(), staff=staff
    )


def test_the_same_seed_gives_the_same_evidence_whatever_the_chunk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    create_demo_accounts()
    quiet = io.StringIO()
    seed_units(rng=random.Random("1:units"), scale="district", stdout=quiet, count=400)
    seed_inspections(rng=random.Random("1:inspections"), scale="district", stdout=quiet, count=60)
    staff = User.objects.get(username="staff")
    with transaction.atomic():
        whole_count = _seed(staff)
        whole = _records()
        transaction.set_rollback(True)
    monkeypatch.setattr(demo_evidence, "CHUNK", 7)
    chunked_count = _seed(staff)
    chunked = _records()
    assert chunked_count == whole_count
    assert [len(rows) for rows in chunked] == [len(rows) for rows in whole]
    assert chunked == whole


def test_running_it_again_adds_no_check_and_verifies_nothing_twice() -> None:
    create_demo_accounts()
    quiet = io.StringIO()
    seed_units(rng=random.Random("1:units"), scale="district", stdout=quiet, count=200)
    staff = User.objects.get(username="staff")
    assert _seed(staff) > 0
    checks = OnSiteCheck.objects.count()
    assert _seed(staff) == 0
    assert OnSiteCheck.objects.count() == checks
