"""Personas shared by the whole suite (STYLE.md habit 10).

- ``district_staff``: market-supervision staff for the whole district
- ``street_staff``: staff scoped to 登峰街道
- ``leader``: a district leader (read-only, district-wide)
- ``operator`` / ``other_operator``: two business operators
- ``sysadmin``, ``secadmin``, ``auditor``: the three administrators of 三员分立
- ``client`` (Django's) is the anonymous visitor
"""

from __future__ import annotations

import gc
import random
from collections.abc import Iterator
from importlib import import_module
from typing import Any

import pytest
from django.test import Client

from lyushunkou.celery import app as celery_app
from lyushunkou.credit_codes import generate_credit_code
from lyushunkou.models import Jurisdiction, Role, User
from units.models import Unit

PASSWORD = "Correct-Horse-42"
DENGFENG = "210212001000"
DESHENG = "210212003000"


@pytest.fixture(autouse=True, scope="session")
def _eager_celery() -> None:
    # Tasks run inline in tests; tests/test_worker.py runs a real worker on its own.
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True


@pytest.fixture(autouse=True)
def _no_cursor_outlives_its_test() -> Iterator[None]:
    """Collect the test's garbage before the next test starts. On PostgreSQL a queryset's
    ``iterator()`` holds a server-side cursor; one left in a reference cycle (a response keeping
    an error's traceback) would otherwise be closed by a later collection, inside the next test's
    transaction, aborting it there."""
    yield
    gc.collect()


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate-limit counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_deadline_cache() -> None:
    """A test's calendar overrides are rolled back without a signal: start each test clean."""
    from lyushunkou.workdays import clear_deadline_cache

    clear_deadline_cache()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """PBKDF2 costs ~0.3 s a hash; the suite checks behaviour, not key stretching."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _jurisdictions(request: pytest.FixtureRequest) -> None:
    """Transactional tests (live server, real worker) start from a flushed database, which has
    lost the rows of data migrations: load them again (jurisdictions, rubric, targets, the
    demonstration standard)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction"))
    if not transactional and not {"live_server", "transactional_db"} & set(request.fixturenames):
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    for module, function in DATA_MIGRATIONS:
        getattr(import_module(module), function)(apps, None)


# Rows that data migrations write and a transactional test's flush removes; each loader is
# idempotent. A new data migration the suite relies on goes here.
DATA_MIGRATIONS = (
    ("lyushunkou.migrations.0002_jurisdictions", "load"),
    ("scoring.migrations.0002_default_rubric", "load"),
    ("scoring.migrations.0003_default_targets", "load"),
    ("units.migrations.0003_standard_criteria", "seed"),
    ("areas.migrations.0002_area_criteria", "seed"),
)


def make_user(
    username: str, role: str, jurisdiction: Jurisdiction | None = None, **extra: object
) -> User:
    user = User(username=username, role=role, jurisdiction=jurisdiction, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def dengfeng(db: None) -> Jurisdiction:
    return Jurisdiction.objects.get(code=DENGFENG)


@pytest.fixture
def desheng(db: None) -> Jurisdiction:
    return Jurisdiction.objects.get(code=DESHENG)


@pytest.fixture
def district_staff(db: None) -> User:
    return make_user("alice", Role.STAFF, full_name="区局人员甲")


@pytest.fixture
def street_staff(dengfeng: Jurisdiction) -> User:
    return make_user("bob", Role.STAFF, dengfeng, full_name="登峰所人员乙")


@pytest.fixture
def leader(db: None) -> User:
    return make_user("carol", Role.LEADER, full_name="区领导丙")


@pytest.fixture
def operator(db: None) -> User:
    return make_user("dave", Role.OPERATOR, full_name="经营者丁")


@pytest.fixture
def other_operator(db: None) -> User:
    return make_user("erin", Role.OPERATOR, full_name="经营者戊")


@pytest.fixture
def sysadmin(db: None) -> User:
    return make_user("frank", Role.SYSADMIN, full_name="管理员庚")


@pytest.fixture
def secadmin(db: None) -> User:
    return make_user("grace", Role.SECADMIN, full_name="管理员辛")


@pytest.fixture
def auditor(db: None) -> User:
    return make_user("heidi", Role.AUDITOR, full_name="审计员己")


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Units ---------------------------------------------------------------------------------


@pytest.fixture
def unit(operator: User, dengfeng: Jurisdiction) -> Unit:
    """A restaurant in 登峰街道 run by ``operator``."""
    return Unit.objects.create(
        name="旅顺老街海鲜馆",
        credit_code=generate_credit_code(random.Random(1)),
        kind="enterprise",
        industry="catering",
        address="辽宁省大连市旅顺口区登峰街道黄河路1号",
        jurisdiction=dengfeng,
        legal_representative="张三",
        contact_person="李四",
        contact_phone="13812345678",
        owner=operator,
    )


@pytest.fixture
def other_unit(other_operator: User, desheng: Jurisdiction) -> Unit:
    """A shop in 得胜街道 run by ``other_operator``."""
    return Unit.objects.create(
        name="得胜日用百货店",
        credit_code=generate_credit_code(random.Random(2), entity_type="2"),
        kind="individual",
        industry="retail",
        address="辽宁省大连市旅顺口区得胜街道长江路2号",
        jurisdiction=desheng,
        legal_representative="王五",
        contact_phone="13900001111",
        owner=other_operator,
    )
