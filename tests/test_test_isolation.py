"""What the suite's processes keep apart when `make test` runs them side by side (pytest-xdist)."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from lyushunkou.workdays import covered_by_package
from tests.conftest import FROZEN_NOW, redis_url_for_worker, worker_number


def test_each_worker_has_its_own_redis_database_wrapping_round_sixteen() -> None:
    assert redis_url_for_worker("redis://127.0.0.1:6379/15", 0) == "redis://127.0.0.1:6379/15"
    assert redis_url_for_worker("redis://127.0.0.1:6379/15", 1) == "redis://127.0.0.1:6379/0"
    assert redis_url_for_worker("redis://127.0.0.1:6379/8", 3) == "redis://127.0.0.1:6379/11"


def test_a_url_without_a_database_starts_from_database_zero() -> None:
    assert redis_url_for_worker("redis://127.0.0.1:6379", 2) == "redis://127.0.0.1:6379/2"
    assert redis_url_for_worker("redis://:pw@redis.example:6380/", 1) == (
        "redis://:pw@redis.example:6380/1"
    )


def test_the_worker_number_comes_from_xdist(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw3")
    assert worker_number() == 3
    monkeypatch.delenv("PYTEST_XDIST_WORKER")
    assert worker_number() == 0


def test_files_the_tests_write_stay_out_of_the_project() -> None:
    for folder in (settings.DATA_DIR, settings.MEDIA_ROOT, settings.AUDIT_ARCHIVE_DIR):
        assert not folder.resolve().is_relative_to(settings.BASE_DIR), folder


@pytest.mark.skipif(not settings.REDIS_URL, reason="the cache is Redis only with REDIS_URL")
def test_the_cache_and_broker_use_this_workers_redis_database() -> None:
    assert settings.CACHES["default"]["LOCATION"] == settings.REDIS_URL
    assert settings.CELERY_BROKER_URL == settings.REDIS_URL
    # The subprocesses of the real-worker tests inherit the same database.
    assert os.environ["REDIS_URL"] == settings.REDIS_URL
    client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
    assert client.connection_pool.connection_kwargs["db"] == int(
        settings.REDIS_URL.rsplit("/", 1)[1]
    )


def test_today_is_the_frozen_day_within_the_published_holiday_calendar() -> None:
    assert timezone.localdate() == FROZEN_NOW.date()
    assert dt.date.today() == FROZEN_NOW.date()  # noqa: DTZ011 - the wall clock, frozen
    assert covered_by_package(timezone.localdate().year)


def test_the_frozen_clock_still_ticks() -> None:
    first = timezone.now()
    while timezone.now() == first:
        pass
    assert timezone.now() - first < dt.timedelta(seconds=1)


@pytest.mark.real_clock
def test_a_real_clock_test_reads_the_machine_clock() -> None:
    # FROZEN_NOW lies in the past of any machine that runs this suite.
    assert timezone.now() > FROZEN_NOW + dt.timedelta(hours=1)
