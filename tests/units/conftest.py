"""Shared fixtures of the units' tests: ``approved``, a demonstration unit made by the services.

The demonstration blocks' tests (tests/units/test_blocks_*.py) share a fixture made by hand: the
block 旅顺老街商圈 (登峰街道, ``block``) has a certified demonstration unit (海鲜馆), an
uncertified one (面馆), a revoked one (茶社) and one whose licence is not verified (烧烤), which
no public page shows (``members``); 得胜's 百货店 is outside the block (``outsider``).
"""

from __future__ import annotations

import pytest

from lyushunkou.models import Jurisdiction, User
from tests.factories import UnitFactory
from tests.units.blocks_helpers import certified
from tests.units.public_helpers import approve
from units.models import DemonstrationBlock, Unit


@pytest.fixture
def approved(unit: Unit, operator: User, district_staff: User) -> Unit:
    return approve(unit, operator=operator, staff=district_staff)


# --- Demonstration blocks (tests/units/test_blocks_*.py) -----------------------------------------


@pytest.fixture
def block(dengfeng: Jurisdiction) -> DemonstrationBlock:
    return DemonstrationBlock.objects.create(
        name="旅顺老街商圈", kind="circle", jurisdiction=dengfeng, year=2025
    )


@pytest.fixture
def members(block: DemonstrationBlock, dengfeng: Jurisdiction) -> dict[str, Unit]:
    return {
        "seafood": UnitFactory.create(
            jurisdiction=dengfeng,
            name="老街海鲜馆",
            industry="catering",
            block=block,
            **certified(),
        ),
        "noodles": UnitFactory.create(
            jurisdiction=dengfeng, name="老街面馆", industry="catering", block=block
        ),
        "tea": UnitFactory.create(
            jurisdiction=dengfeng,
            name="老街茶社",
            industry="catering",
            block=block,
            **certified(demonstration_status="revoked"),
        ),
        "bbq": UnitFactory.create(
            jurisdiction=dengfeng,
            name="老街烧烤",
            industry="catering",
            block=block,
            verified_at=None,
        ),
    }


@pytest.fixture
def outsider(desheng: Jurisdiction) -> Unit:
    return UnitFactory.create(jurisdiction=desheng, name="得胜百货店", industry="retail")
