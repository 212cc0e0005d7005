"""The access matrix: every URL of the project, for every persona, answers with the expected status.

The project's URL patterns are walked from the root resolver; each named pattern must have a row
in ``MATRIX`` saying how to build its arguments from a fixture world and which statuses each
persona may get. A new view that is not in the matrix fails the build ("add <name> to the access
matrix"), so every page is classified — public, logged-in, staff, operator — before it ships.

The world's objects all belong to ``operator`` (A) and lie in 登峰街道: ``street_staff`` (登峰) is
in scope, ``desheng_staff`` (得胜) is street-scoped staff of another street, and ``other_operator``
(B) owns nothing of it. Status codes only: the text of the pages is the per-view tests' business.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lyushunkou.models import Jurisdiction, Role
from tests.access_matrix import ANONYMOUS, LOGIN, MATRIX, PERSONAS, Row
from tests.access_matrix_world import World, build_world
from tests.conftest import (
    DENGFENG,
    DESHENG,
    FROZEN_NOW,
    client_for,
    make_dengfeng_restaurant,
    make_persona,
    make_user,
)
from tests.conftest import PERSONAS as CONFTEST_PERSONAS

pytestmark = pytest.mark.django_db

# --- What the matrix leaves out, and why ---------------------------------------------------------

EXCLUDED_PREFIXES = {
    "admin/": "Django's admin: its own permission system, covered by the admin tests",
    "i18n/": "the language switcher: public by design, sets a cookie and redirects",
    "static/": "static files: public by design (served by whitenoise or runserver, not a view)",
    "media/": "uploads are never served from a folder; they go through access-checked views",
    "api/v1/": "the HTTP API authenticates by token, not session: tests/api/test_api_access.py "
    "walks every API endpoint with each persona's token and anonymously",
}
EXCLUDED_NAMES = {
    "login": "the login page: public by design",
    "logout": "logging out: public by design (POST only; ends whatever session there is)",
    "password_reset": "password reset pages: public by design, for users who cannot log in",
    "password_reset_done": "password reset pages: public by design",
    "password_reset_confirm": "password reset pages: public by design (a signed one-time link)",
    "password_reset_complete": "password reset pages: public by design",
}

# --- Walking the resolver ------------------------------------------------------------------------


def walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, str | None]]:
    """Every (full route, name) below ``patterns``, includes followed."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.name


def project_patterns() -> list[tuple[str, str | None]]:
    return [
        (route, name)
        for route, name in walk(get_resolver().url_patterns)
        if not route.lstrip("^").startswith(tuple(EXCLUDED_PREFIXES)) and name not in EXCLUDED_NAMES
    ]


def test_every_url_pattern_is_in_the_access_matrix() -> None:
    problems = []
    in_matrix = {row.name for row in MATRIX}
    names = set()
    for route, name in project_patterns():
        if name is None:
            problems.append(f"{route}: give the pattern a name and add it to the access matrix")
            continue
        names.add(name)
        if name not in in_matrix:
            problems.append(f"add {name} ({route}) to the access matrix")
    for name in sorted(in_matrix - names):
        problems.append(f"{name} is in the access matrix but no longer a URL pattern: remove it")
    assert problems == [], "\n".join(problems)


def test_the_exclusions_are_still_there() -> None:
    # An exclusion that matches nothing is a hole waiting to be filled by an unrelated view.
    routes = list(walk(get_resolver().url_patterns))
    for prefix in ("admin/", "i18n/"):
        assert any(route.startswith(prefix) for route, _ in routes), prefix
    names = {name for _, name in routes}
    assert set(EXCLUDED_NAMES) <= names


# --- Walking the matrix --------------------------------------------------------------------------


@dataclass
class Stage:
    """The world and a logged-in client per persona, shared by every row's test."""

    world: World
    clients: dict[str, Client]


@pytest.fixture(scope="module")
def stage(
    django_db_setup: None,
    django_db_blocker: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Stage]:
    """The world is built once per module (and per xdist worker) inside a transaction rolled back
    at the end, as Django's ``TestCase.setUpTestData`` does; each row's test runs in a savepoint
    of it (pytest-django's own per-test transaction), so no row sees another row's changes."""
    media = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("matrix-media"),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    # On the suite's frozen clock, as the rows' requests are (tests/conftest.py).
    with django_db_blocker.unblock(), media, time_machine.travel(FROZEN_NOW, tick=True):
        outer = transaction.atomic()
        outer.__enter__()
        # Marked like TestCase's own atomic blocks, so durable blocks may nest inside it.
        outer._from_testcase = True  # type: ignore[attr-defined]
        try:
            users = {name: make_persona(name) for name in CONFTEST_PERSONAS}
            users["desheng_staff"] = make_user(
                "ivan", Role.STAFF, Jurisdiction.objects.get(code=DESHENG), full_name="得胜所人员壬"
            )
            dengfeng = Jurisdiction.objects.get(code=DENGFENG)
            world = build_world(
                unit=make_dengfeng_restaurant(users["operator"], dengfeng),
                dengfeng=dengfeng,
                operator=users["operator"],
                other_operator=users["other_operator"],
                staff=users["street_staff"],
            )
            clients = {name: client_for(users[name]) for name in PERSONAS if name != ANONYMOUS}
            clients[ANONYMOUS] = Client()
            yield Stage(world, clients)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _describe(response: Any) -> str:
    if response.status_code in (301, 302):
        return f"{response.status_code} → {response['Location']}"
    return str(response.status_code)


def _row_id(row: Row) -> str:
    return f"{row.method} {row.name}" + (f" [{row.label}]" if row.label else "")


@pytest.mark.parametrize("row", MATRIX, ids=_row_id)
def test_every_url_answers_every_persona_as_expected(stage: Stage, row: Row) -> None:
    assert set(row.expected) == set(PERSONAS)
    url = reverse(row.name, kwargs=row.kwargs(stage.world))
    login = reverse("login")
    mismatches = []
    for persona in PERSONAS:
        client = stage.clients[persona]
        response = client.get(url) if row.method == "GET" else client.post(url, {})
        if getattr(response, "streaming", False):
            # Read it as a browser would: the test client then closes it safely (a bare
            # response.close() fires request_finished, which closes the DB connection).
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
        expected = row.expected[persona]
        wrong = response.status_code not in expected
        if expected is LOGIN and not wrong:
            wrong = not response["Location"].startswith(login)
        if wrong:
            mismatches.append(
                f"{persona}: got {_describe(response)}, expected {sorted(expected)}"
                + (" to the login page" if expected is LOGIN else "")
            )
    assert mismatches == [], "\n".join(mismatches)


def test_the_matrix_rows_have_distinct_names() -> None:
    # Each row is its own test: two rows of one id would be told apart only by pytest's suffix.
    ids = [_row_id(row) for row in MATRIX]
    assert len(ids) == len(set(ids))
