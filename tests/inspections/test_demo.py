"""The inspections seeder: realistic, deterministic, idempotent."""

from __future__ import annotations

import io
import random

import pytest
from django.db import transaction

from inspections import demo
from inspections.demo import seed_inspections
from inspections.models import (
    CheckItem,
    Disposal,
    Finding,
    OnSiteCheck,
    Penalty,
    SamplingBatch,
)
from lyushunkou.models import User
from units.demo import seed_units

pytestmark = pytest.mark.django_db


def test_seeding_is_realistic_and_idempotent(district_staff: User) -> None:
    seed_units(rng=random.Random("1:units"), scale="district", stdout=io.StringIO(), count=300)
    out = io.StringIO()
    seed_inspections(rng=random.Random("1:inspections"), scale="district", stdout=out, count=1500)
    assert SamplingBatch.objects.count() == 1500
    final = SamplingBatch.objects.exclude(final_result="pending")
    pass_rate = final.filter(final_result="pass").count() / final.count()
    assert 0.95 <= pass_rate <= 0.99
    assert SamplingBatch.objects.filter(result="fail", final_result="pass").exists()
    assert Disposal.objects.exists()
    assert OnSiteCheck.objects.exists()
    assert Finding.objects.exists()
    assert Penalty.objects.exists()
    assert SamplingBatch.objects.filter(unit__isnull=False).count() == 1500
    seed_inspections(rng=random.Random("1:inspections"), scale="district", stdout=out, count=1500)
    assert SamplingBatch.objects.count() == 1500
    assert "already seeded" in out.getvalue()


def _records() -> list[list[tuple[object, ...]]]:
    """Every record the seeder writes, field by field in primary-key order, without the keys and
    the moments of writing (which differ between two runs)."""
    models = (SamplingBatch, Disposal, OnSiteCheck, CheckItem, Finding, Penalty)
    left_out = {"id", "batch_id", "check_record_id", "created_at", "updated_at", "confirmed_at"}
    return [
        list(
            model.objects.order_by("pk").values_list(
                *(f.attname for f in model._meta.concrete_fields if f.attname not in left_out)
            )
        )
        for model in models
    ]


def test_the_same_seed_writes_the_same_records_whatever_the_chunk(
    district_staff: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Memory is bounded by writing CHUNK records at a time (issue 17); the chunk must not change
    # what a seed gives.
    seed_units(rng=random.Random("1:units"), scale="district", stdout=io.StringIO(), count=200)
    with transaction.atomic():
        seed_inspections(rng=random.Random(7), scale="district", stdout=io.StringIO(), count=300)
        whole = _records()
        transaction.set_rollback(True)
    monkeypatch.setattr(demo, "CHUNK", 7)
    seed_inspections(rng=random.Random(7), scale="district", stdout=io.StringIO(), count=300)
    chunked = _records()
    assert [len(rows) for rows in chunked] == [len(rows) for rows in whole]
    assert chunked == whole
