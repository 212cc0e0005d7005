"""factory_boy factories for the core models, shared by the whole suite (STYLE.md habit 18).

Each factory builds a valid row (``full_clean`` passes: tests/test_factories.py) with data drawn
from the demo seeders' own generators (``units.demo.generators``), seeded by the factory's
sequence number, so a run gives the same data every time. A test states what it relies on as
keyword arguments and leaves the rest to the factory::

    unit = UnitFactory.create(name="旅顺老街海鲜馆", industry="catering", jurisdiction=dengfeng)
    staff = UserFactory.create(street_staff=True)  # a street-scoped staff member of 登峰街道

``Factory.create()`` rather than ``Factory()``: both build the same row, but only ``create`` is
typed as returning the model, so mypy checks what the test does with it.

Personas (``district_staff``, ``operator``, …) stay the fixtures of tests/conftest.py.
"""

from __future__ import annotations

from tests.factories.accounts import JurisdictionFactory, UserFactory
from tests.factories.complaints import ComplaintFactory
from tests.factories.inspections import SamplingBatchFactory
from tests.factories.scoring import UnitScoreFactory, active_rubric
from tests.factories.units import ServiceStationFactory, UnitFactory

__all__ = [
    "ComplaintFactory",
    "JurisdictionFactory",
    "SamplingBatchFactory",
    "ServiceStationFactory",
    "UnitFactory",
    "UnitScoreFactory",
    "UserFactory",
    "active_rubric",
]
