"""A district with one spike: 登峰街道's quality complaints jump from 2 to 15 in October 2026
while every other street and category stays flat (issue 19's hand-checked fixture)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lyushunkou.models import Jurisdiction, Role, User
from lyushunkou.periods import parse
from supervision import services
from supervision.clusters import rank
from supervision.models import SamplingProposal
from tests.conftest import DENGFENG, DESHENG, make_user
from tests.supervision.helpers import add_complaints, add_units, streets

THIS_YEAR, LAST_YEAR = dt.date(2026, 10, 12), dt.date(2025, 10, 14)


@pytest.fixture
def desheng_staff(desheng: Jurisdiction) -> User:
    return make_user("ivan", Role.STAFF, desheng, full_name="得胜所人员壬")


@pytest.fixture
def spike(db: None) -> dict[str, Any]:
    """The flat district plus 13 quality complaints in 登峰; returns the units by street code."""
    units = {}
    for street in streets():
        units[street.code] = add_units(street, 20)
        for day in (LAST_YEAR, THIS_YEAR):
            add_complaints(street, 2, on=day, category="quality", units=units[street.code])
            add_complaints(street, 2, on=day, category="price")
    dengfeng = Jurisdiction.objects.get(code=DENGFENG)
    add_complaints(dengfeng, 13, on=THIS_YEAR, category="quality", units=units[DENGFENG])
    return units


@pytest.fixture
def two_spikes(spike: dict[str, Any]) -> dict[str, Any]:
    """登峰 as in ``spike``, and 得胜's quality complaints up from 2 to 12."""
    desheng = Jurisdiction.objects.get(code=DESHENG)
    add_complaints(desheng, 10, on=THIS_YEAR, category="quality", units=spike[DESHENG])
    return spike


def store(period: str = "2026-10", scope: Jurisdiction | None = None) -> None:
    services.proposals_store(ranking=rank(parse(period), jurisdiction=scope), by=None, scope=scope)


@pytest.fixture
def proposal(spike: dict[str, Any]) -> SamplingProposal:
    """登峰 × 质量 for 2026-10, proposed."""
    store()
    return SamplingProposal.objects.get(jurisdiction__code=DENGFENG)
