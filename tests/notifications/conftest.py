"""Fixtures of the notification inventory's tests (docs/notifications.md): the portal's base URL,
and everyone — outsiders included — with an e-mail address."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lyushunkou.models import Jurisdiction, Role, User
from tests.conftest import make_user
from tests.notifications.helpers import BASE
from units.models import Unit


@pytest.fixture(autouse=True)
def _portal_and_media(settings: Any, media_root: Path) -> None:
    settings.PORTAL_BASE_URL = BASE


@pytest.fixture
def desheng_staff(desheng: Jurisdiction) -> User:
    return make_user("ivan", Role.STAFF, desheng, full_name="得胜所人员")


@pytest.fixture(autouse=True)
def everyone(
    district_staff: User,
    street_staff: User,
    desheng_staff: User,
    leader: User,
    operator: User,
    other_operator: User,
    unit: Unit,
    other_unit: Unit,
) -> list[User]:
    """Everyone has an address, so every notification should send one e-mail."""
    people = [district_staff, street_staff, desheng_staff, leader, operator, other_operator]
    for person in people:
        person.email = f"{person.username}@example.gov.cn"
        person.save(update_fields=["email"])
    return people
