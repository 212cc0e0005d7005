"""Open data shows no personal data: every field of every dataset, in the list and in both
downloads, is checked against the people and contacts behind the records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from api.open_data import DATASETS
from inspections.models import Disposal
from lyushunkou.models import User
from tests.api.helpers import api
from tests.inspections.helpers import batch
from units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(unit: Unit, district_staff: User, operator: User) -> list[str]:
    today = timezone.localdate()
    Unit.objects.filter(pk=unit.pk).update(
        demonstration_status="approved",
        certificate_no="LSK-2026-0001",
        certified_from=today,
        certified_until=today + dt.timedelta(days=300),
        verified_at=timezone.now(),
    )
    failed = batch(district_staff, unit.jurisdiction, unit=unit, result="fail", failed_items="酸价")
    Disposal.objects.create(
        batch=failed, kind="delisted", done_on=today, responsible=district_staff
    )
    people = [district_staff, operator]
    return [
        unit.legal_representative,
        unit.contact_person,
        unit.contact_phone,
        *(person.full_name for person in people),
        *(person.username for person in people),
    ]


def test_the_directory_and_failures_are_published(world: list[str]) -> None:
    units = api(None).get(reverse("api-open-units")).json()["results"]
    failures = api(None).get(reverse("api-open-sampling-failures")).json()["results"]
    assert (len(units), failures[0]["disposal"]) == (1, "下架")


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_no_dataset_carries_personal_data(name: str, world: list[str]) -> None:
    bodies = [
        api(None).get(reverse(f"api-open-{name}")).content.decode(),
        api(None).get(reverse("api-open-download", args=[name, "csv"])).content.decode(),
        api(None).get(reverse("api-open-download", args=[name, "json"])).content.decode(),
    ]
    leaked = [value for value in world for body in bodies if value and value in body]
    assert leaked == []
