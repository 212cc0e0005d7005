"""Settings fail loudly on bad environment values; production mode is hardened."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from lyushunkou import env

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_KEY = "a-production-secret-key-with-enough-length-and-variety-0123456789"
FIELD_KEY = "another-long-random-key-for-field-encryption-0123"
PORTAL_URL = "https://portal.example"


def run_manage(*args: str, **environ: str) -> subprocess.CompletedProcess[str]:
    # The child sees only what a deployment would: none of the test run's own switches.
    dropped = {
        "DATABASE_URL",
        "REDIS_URL",
        "DJANGO_ENV",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "PORTAL_BASE_URL",
        "PUBLIC_BASE_URL",
    }
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **environ},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "maybe"),
        ("DJANGO_ENV", "prod"),
        ("DB_CONN_MAX_AGE", "sixty"),
        ("REDIS_URL", "http://127.0.0.1:6379"),
        ("DATABASE_URL", "mysql://root@localhost/portal"),
        ("ALLOWED_HOSTS", "a.example,,b.example"),
        ("LOG_LEVEL", "LOUD"),
    ],
)
def test_a_malformed_variable_stops_start_up_with_its_name(name: str, value: str) -> None:
    extra = {"DATABASE_URL": "postgres://u@127.0.0.1/x"} if name == "DB_CONN_MAX_AGE" else {}
    result = run_manage("check", **{name: value}, **extra)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = run_manage(
        "check",
        DJANGO_ENV="production",
        ALLOWED_HOSTS="portal.example",
        FIELD_ENCRYPTION_KEY=FIELD_KEY,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_a_short_field_encryption_key_is_refused() -> None:
    result = run_manage("check", FIELD_ENCRYPTION_KEY="too-short")
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY" in result.stderr


def test_production_without_its_own_field_key_passes_but_is_reminded() -> None:
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY=PRODUCTION_KEY,
        ALLOWED_HOSTS="portal.example",
        PORTAL_BASE_URL=PORTAL_URL,
    )
    assert result.returncode == 0, result.stderr
    assert "lyushunkou.I001" in result.stdout + result.stderr


def test_production_refuses_to_start_without_allowed_hosts() -> None:
    result = run_manage(
        "check", DJANGO_ENV="production", SECRET_KEY=PRODUCTION_KEY, FIELD_ENCRYPTION_KEY=FIELD_KEY
    )
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_passes_the_deployment_checklist_without_warnings() -> None:
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY=PRODUCTION_KEY,
        ALLOWED_HOSTS="portal.example",
        FIELD_ENCRYPTION_KEY=FIELD_KEY,
        PORTAL_BASE_URL=PORTAL_URL,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deployment_checklist_warns_while_links_point_at_the_development_address() -> None:
    result = run_manage(
        "check",
        "--deploy",
        DJANGO_ENV="production",
        SECRET_KEY=PRODUCTION_KEY,
        ALLOWED_HOSTS="portal.example",
        FIELD_ENCRYPTION_KEY=FIELD_KEY,
    )
    assert "lyushunkou.W002" in result.stdout + result.stderr


def test_env_bool_accepts_the_usual_spellings(monkeypatch: pytest.MonkeyPatch) -> None:
    for raw, expected in [("1", True), ("Yes", True), ("off", False), ("FALSE", False)]:
        monkeypatch.setenv("X_FLAG", raw)
        assert env.env_bool("X_FLAG", default=not expected) is expected
    monkeypatch.delenv("X_FLAG")
    assert env.env_bool("X_FLAG", default=True) is True


def test_env_int_enforces_a_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_NUMBER", "-1")
    with pytest.raises(ImproperlyConfigured, match="X_NUMBER"):
        env.env_int("X_NUMBER", 5, minimum=0)


def test_env_database_parses_postgres_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_DB", "postgres://portal:pw@db.internal:5433/portal")
    config = env.env_database("X_DB", {})
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5433, "portal")


def test_the_ui_defaults_to_simplified_chinese_in_shanghai_time() -> None:
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]
