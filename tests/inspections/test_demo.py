"""The inspections seeder: realistic, deterministic, idempotent."""

from __future__ import annotations

import io
import random

import pytest

from inspections.demo import seed_inspections
from inspections.models import Disposal, Finding, OnSiteCheck, Penalty, SamplingBatch
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
    assert Disposal.objects.exists() and OnSiteCheck.objects.exists()
    assert Finding.objects.exists() and Penalty.objects.exists()
    assert SamplingBatch.objects.filter(unit__isnull=False).count() == 1500
    seed_inspections(rng=random.Random("1:inspections"), scale="district", stdout=out, count=1500)
    assert SamplingBatch.objects.count() == 1500
    assert "already seeded" in out.getvalue()
