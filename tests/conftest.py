"""Personas shared by the whole suite (STYLE.md habit 10).

- ``district_staff``: market-supervision staff for the whole district
- ``street_staff``: staff scoped to 登峰街道
- ``leader``: a district leader (read-only, district-wide)
- ``operator`` / ``other_operator``: two business operators
- ``sysadmin``, ``secadmin``, ``auditor``: the three administrators of 三员分立
- ``client`` (Django's) is the anonymous visitor

Under pytest-xdist (``make test`` runs ``-n auto``) each worker gets its own scratch folder
(uploads, audit archives, DATA_DIR) and its own Redis database (``cache.clear()`` empties a whole
Redis database, so two workers sharing one would wipe each other's rate-limit counters);
pytest-django gives each worker its own test database.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import random
import shutil
import tempfile
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation

from lyushunkou.celery import app as celery_app
from lyushunkou.credit_codes import generate_credit_code
from lyushunkou.models import Jurisdiction, Role, User
from tests import real_worker
from units.models import Unit

PASSWORD = "Correct-Horse-42"
DENGFENG = "210212001000"
DESHENG = "210212003000"


REDIS_DATABASES = 16  # Redis's default `databases`


def worker_number() -> int:
    """0 for the main process or xdist's first worker (gw0), n for worker gwn."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(worker.removeprefix("gw"))


def redis_url_for_worker(url: str, number: int) -> str:
    """The Redis database of worker ``number``: REDIS_URL's database plus ``number``, wrapping
    round the 16 databases (redis://host:6379/15 → /15 for gw0, /0 for gw1)."""
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(base + number) % REDIS_DATABASES}"))


_SCRATCH: list[Path] = []


def pytest_configure(config: pytest.Config) -> None:
    """Per-process places for what tests write: files and the Redis database."""
    from django.conf import settings

    scratch = Path(tempfile.mkdtemp(prefix=f"portal-tests-{worker_number()}-"))
    _SCRATCH.append(scratch)
    settings.DATA_DIR = scratch
    settings.MEDIA_ROOT = scratch / "media"
    settings.AUDIT_ARCHIVE_DIR = scratch / "audit-archives"
    if settings.REDIS_URL and "PYTEST_XDIST_WORKER" in os.environ:
        url = redis_url_for_worker(settings.REDIS_URL, worker_number())
        settings.REDIS_URL = url
        settings.CACHES["default"]["LOCATION"] = url
        settings.CELERY_BROKER_URL = url
        celery_app.conf.update(broker_url=url)
        os.environ["REDIS_URL"] = url  # the real-worker tests' subprocesses use it too


def pytest_unconfigure(config: pytest.Config) -> None:
    for scratch in _SCRATCH:
        shutil.rmtree(scratch, ignore_errors=True)


# Tests that cannot share the machine with themselves run in one xdist worker, one at a time
# (`--dist loadgroup`): the browser tests (one chromium, live servers) by their folder; the
# real-worker tests by their own xdist_group marker.
BROWSER_DIR = Path(__file__).resolve().parent / "browser"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.xdist_group("browser"))
            item.add_marker(pytest.mark.slow)  # a live server and a browser: seconds each
        # A module that starts processes (manage.py, a worker) compares their clock with its own;
        # starting Django in another process takes seconds.
        module = getattr(item, "module", None)
        if module is not None and (
            hasattr(module, "subprocess") or getattr(module, "manage", None) is real_worker.manage
        ):
            item.add_marker(pytest.mark.real_clock)
            item.add_marker(pytest.mark.slow)


# --- The clock ---------------------------------------------------------------------------------

# "Today" for every test: a Friday morning in Shanghai within chinese_calendar's last year (2026),
# so a test that counts working days from today takes the published arrangement's path whatever
# the machine's date (the package has no data for 2027). The clock ticks on from there.
FROZEN_NOW = dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def _frozen_clock(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tests run at FROZEN_NOW, except those whose clock other processes share: the live
    server's (Chromium keeps its cookies by the machine's clock) and ``real_clock`` tests."""
    if "live_server" in request.fixturenames or request.node.get_closest_marker("real_clock"):
        yield
        return
    with time_machine.travel(FROZEN_NOW, tick=True):
        yield


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Uploads and generated files of this test in its own folder."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True, scope="session")
def _eager_celery() -> None:
    # Tasks run inline in tests; tests/test_worker.py runs a real worker on its own.
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True


def pytest_collection_finish(session: pytest.Session) -> None:
    """What is alive once the tests are collected (Django, the apps, the test modules) lives as
    long as the run: gc.freeze() keeps it out of every later collection, so the collection after
    each test (below) scans only what tests allocated, not the whole heap."""
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def _no_cursor_outlives_its_test() -> Iterator[None]:
    """Collect the test's garbage before the next test starts. On PostgreSQL a queryset's
    ``iterator()`` holds a server-side cursor; one left in a reference cycle (a response keeping
    an error's traceback) would otherwise be closed by a later collection, inside the next test's
    transaction, aborting it there."""
    yield
    gc.collect()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts in the portal's default language (Chinese). A request leaves its
    language active in the thread (LocaleMiddleware activates it and nothing resets it), so
    without this a test calling a command or a service outside a request spoke whatever
    language the test before it on the same worker had asked for."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


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


# Persona → (username, role, street code or None, full name).
PERSONAS: dict[str, tuple[str, str, str | None, str]] = {
    "district_staff": ("alice", Role.STAFF, None, "区局人员甲"),
    "street_staff": ("bob", Role.STAFF, DENGFENG, "登峰所人员乙"),
    "leader": ("carol", Role.LEADER, None, "区领导丙"),
    "operator": ("dave", Role.OPERATOR, None, "经营者丁"),
    "other_operator": ("erin", Role.OPERATOR, None, "经营者戊"),
    "sysadmin": ("frank", Role.SYSADMIN, None, "管理员庚"),
    "secadmin": ("grace", Role.SECADMIN, None, "管理员辛"),
    "auditor": ("heidi", Role.AUDITOR, None, "审计员己"),
}


def make_persona(name: str) -> User:
    """The persona ``name`` of PERSONAS (for fixtures of a wider scope than a test)."""
    username, role, street, full_name = PERSONAS[name]
    jurisdiction = Jurisdiction.objects.get(code=street) if street else None
    return make_user(username, role, jurisdiction, full_name=full_name)


@pytest.fixture
def district_staff(db: None) -> User:
    return make_persona("district_staff")


@pytest.fixture
def street_staff(dengfeng: Jurisdiction) -> User:
    return make_persona("street_staff")


@pytest.fixture
def leader(db: None) -> User:
    return make_persona("leader")


@pytest.fixture
def operator(db: None) -> User:
    return make_persona("operator")


@pytest.fixture
def other_operator(db: None) -> User:
    return make_persona("other_operator")


@pytest.fixture
def sysadmin(db: None) -> User:
    return make_persona("sysadmin")


@pytest.fixture
def secadmin(db: None) -> User:
    return make_persona("secadmin")


@pytest.fixture
def auditor(db: None) -> User:
    return make_persona("auditor")


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Units ---------------------------------------------------------------------------------


def make_dengfeng_restaurant(operator: User, dengfeng: Jurisdiction) -> Unit:
    """The ``unit`` fixture's restaurant (for fixtures of a wider scope than a test)."""
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
def unit(operator: User, dengfeng: Jurisdiction) -> Unit:
    """A restaurant in 登峰街道 run by ``operator``."""
    return make_dengfeng_restaurant(operator, dengfeng)


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
