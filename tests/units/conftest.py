"""Shared fixtures of the units' tests: ``approved``, a demonstration unit made by the services."""

from __future__ import annotations

import pytest

from lyushunkou.models import User
from tests.units.public_helpers import approve
from units.models import Unit


@pytest.fixture
def approved(unit: Unit, operator: User, district_staff: User) -> Unit:
    return approve(unit, operator=operator, staff=district_staff)
