"""Fixtures of the demonstration-area tests: uploads go to a temporary folder, and ``desheng_staff``
is street-scoped staff of 得胜街道 (the other street of the fixtures)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lyushunkou.models import Jurisdiction, Role, User
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def _media(media_root: Path) -> None:
    """Every areas test keeps its uploads and reports in its own folder."""


@pytest.fixture
def desheng_staff(desheng: Jurisdiction) -> User:
    return make_user("ivan", Role.STAFF, desheng, full_name="得胜所人员壬")


@pytest.fixture
def district(db: None) -> Jurisdiction:
    return Jurisdiction.objects.get(kind=Jurisdiction.Kind.DISTRICT)
