"""Units' scores, as the engine stores them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from factory.declarations import LazyAttribute, LazyFunction, SubFactory
from factory.django import DjangoModelFactory

from scoring import periods
from scoring.models import Rubric, UnitScore
from tests.factories.units import UnitFactory

GUARANTEES = ("quality", "safety", "price", "service", "rights")


def active_rubric() -> Rubric:
    """The default rubric of the data migration; one of our own if a flushed database lost it."""
    rubric = Rubric.objects.filter(status=Rubric.Status.ACTIVE).first()
    if rubric is None:
        rubric = Rubric.objects.create(
            version=900,
            name="test rubric",
            status=Rubric.Status.ACTIVE,
            grade_bands=[
                {"grade": "A", "min": 90},
                {"grade": "B", "min": 75},
                {"grade": "C", "min": 60},
                {"grade": "D", "min": 0},
            ],
            caps=[{"below": 12, "cap": "C"}, {"below": 8, "cap": "D"}],
        )
    return rubric


def grade_of(total: Decimal) -> str:
    """The grade the default rubric's bands give ``total``."""
    return "A" if total >= 90 else "B" if total >= 75 else "C" if total >= 60 else "D"


def _total(o: Any) -> Decimal:
    return sum((Decimal(getattr(o, g)) for g in GUARANTEES), Decimal(0))


class UnitScoreFactory(DjangoModelFactory[UnitScore]):
    """A score of a new unit for the current month under the active rubric: 18 points on each
    guarantee unless told, the total and the grade following, no cap and no veto."""

    class Meta:
        model = UnitScore

    unit = SubFactory(UnitFactory)
    period = LazyFunction(lambda: periods.current().key)
    as_of = LazyAttribute(lambda o: periods.parse(o.period).as_of())
    rubric = LazyFunction(active_rubric)
    jurisdiction = LazyAttribute(lambda o: o.unit.jurisdiction)
    demonstration = LazyAttribute(lambda o: o.unit.demonstration_status in ("approved", "warning"))
    quality = Decimal("18.0")
    safety = Decimal("18.0")
    price = Decimal("18.0")
    service = Decimal("18.0")
    rights = Decimal("18.0")
    total = LazyAttribute(_total)
    raw_grade = LazyAttribute(lambda o: grade_of(o.total))
    grade = LazyAttribute(lambda o: o.raw_grade)
    capped_by = ""
    vetoes = LazyFunction(list)
    evidence = LazyFunction(list)
    computed_at = LazyFunction(timezone.now)
