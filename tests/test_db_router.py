"""The read replica (lyushunkou.db_router): which reads may go to it, and which never do.

The replica is Django's test mirror of the test database: an alias of its own, with its own
connection, to the same database, so a read routed to it sees what the test wrote and the
queries each connection ran tell where a read went. Everything runs in transactional tests:
inside the atomic block a TestCase wraps around each test every read stays on the primary.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connections, transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lyushunkou.db_router import (
    PIN_SESSION_KEY,
    PRIMARY,
    REPLICA,
    ReplicaRouter,
    reading_replica,
    use_replica,
)
from lyushunkou.models import Jurisdiction, Role, User
from lyushunkou.request_context import CurrentRequestMiddleware
from tests.conftest import DENGFENG, client_for, make_user

ROOT = Path(__file__).resolve().parent.parent
ROUTER = "lyushunkou.db_router.ReplicaRouter"
BOTH = [PRIMARY, REPLICA]


@pytest.fixture(scope="class")
def replica_alias(django_db_setup: None) -> Iterator[None]:
    """What settings.py declares when DATABASE_REPLICA_URL is set (a test mirror of default),
    added after the test database exists so it points at it; without a pool of its own."""
    primary = connections[PRIMARY].settings_dict
    mirror = copy.deepcopy(primary)
    mirror["OPTIONS"] = {k: v for k, v in mirror.get("OPTIONS", {}).items() if k != "pool"}
    mirror["TEST"] = {**mirror["TEST"], "MIRROR": PRIMARY}
    connections.settings[REPLICA] = mirror
    connections[REPLICA].creation.set_as_test_mirror(primary)
    yield
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture
def routed(settings: Any) -> None:
    settings.DATABASE_ROUTERS = [ROUTER]


@pytest.fixture
def queries() -> Iterator[dict[str, CaptureQueriesContext]]:
    """The SQL each connection runs during the test, by alias."""
    captured = {alias: CaptureQueriesContext(connections[alias]) for alias in BOTH}
    for context in captured.values():
        context.__enter__()
    yield captured
    for context in captured.values():
        context.__exit__(None, None, None)


def ran_on(captured: CaptureQueriesContext, table: str) -> bool:
    return any(f'"{table}"' in query["sql"] for query in captured.captured_queries)


def new_user(name: str) -> User:
    """One INSERT, nothing read first."""
    return make_user(name, Role.OPERATOR)


@pytest.mark.django_db(transaction=True, databases=BOTH)
@pytest.mark.usefixtures("replica_alias", "routed")
class TestWithAReplica:
    def test_a_read_inside_use_replica_goes_to_the_replica(
        self, queries: dict[str, CaptureQueriesContext]
    ) -> None:
        with use_replica():
            names = list(Jurisdiction.objects.values_list("name", flat=True))
        assert "登峰街道" in names  # the mirror sees the primary's rows
        assert ran_on(queries[REPLICA], "lyushunkou_jurisdiction")
        assert not ran_on(queries[PRIMARY], "lyushunkou_jurisdiction")

    def test_objects_read_inside_use_replica_are_marked_as_from_the_replica(self) -> None:
        with use_replica():
            street = Jurisdiction.objects.get(code=DENGFENG)
        assert street._state.db == REPLICA

    def test_a_read_outside_use_replica_goes_to_the_primary(
        self, queries: dict[str, CaptureQueriesContext]
    ) -> None:
        list(Jurisdiction.objects.all())
        assert ran_on(queries[PRIMARY], "lyushunkou_jurisdiction")
        assert not queries[REPLICA].captured_queries

    def test_a_write_inside_use_replica_goes_to_the_primary(self) -> None:
        with use_replica():
            created = new_user("writer01")
        assert created._state.db == PRIMARY
        assert User.objects.filter(username="writer01").exists()

    def test_an_object_read_from_the_replica_is_saved_to_the_primary(
        self, queries: dict[str, CaptureQueriesContext]
    ) -> None:
        with use_replica():
            street = Jurisdiction.objects.get(code=DENGFENG)
            street.sort_order = 99
            street.save(update_fields=["sort_order"])
        assert any("UPDATE" in q["sql"] for q in queries[PRIMARY].captured_queries)
        assert not any("UPDATE" in q["sql"] for q in queries[REPLICA].captured_queries)

    def test_after_a_write_every_read_of_the_scope_goes_to_the_primary(
        self, queries: dict[str, CaptureQueriesContext]
    ) -> None:
        with use_replica():
            new_user("writer02")
            assert not reading_replica()
            # Another table too: a count or a join may draw on what was just written.
            list(Jurisdiction.objects.all())
        assert ran_on(queries[PRIMARY], "lyushunkou_jurisdiction")
        assert not queries[REPLICA].captured_queries

    def test_a_read_inside_an_atomic_block_goes_to_the_primary(
        self, queries: dict[str, CaptureQueriesContext]
    ) -> None:
        with use_replica(), transaction.atomic():
            list(Jurisdiction.objects.all())
        assert ran_on(queries[PRIMARY], "lyushunkou_jurisdiction")
        assert not queries[REPLICA].captured_queries

    def test_a_locking_read_goes_to_the_primary(
        self, queries: dict[str, CaptureQueriesContext]
    ) -> None:
        with use_replica(), transaction.atomic():
            Jurisdiction.objects.select_for_update().get(code=DENGFENG)
        assert not queries[REPLICA].captured_queries

    def test_a_nested_scope_keeps_the_outer_scopes_pin(self) -> None:
        with use_replica():
            new_user("writer03")
            with use_replica():
                assert not reading_replica()
            assert not reading_replica()

    def test_each_call_of_a_decorated_function_starts_a_scope_of_its_own(self) -> None:
        @use_replica
        def write_then_report() -> bool:
            new_user("writer04")
            return reading_replica()

        @use_replica()  # type: ignore[untyped-decorator]  # typed Any: it is a context manager too
        def report() -> bool:
            return reading_replica()

        assert write_then_report() is False
        assert report() is True  # the first call's write pinned only its own scope
        assert reading_replica() is False  # and outside every scope

    def test_sessions_are_always_read_from_the_primary(self) -> None:
        with use_replica():
            assert Session.objects.all().db == PRIMARY

    def test_the_replica_is_never_migrated(self) -> None:
        router = ReplicaRouter()
        assert router.allow_migrate(REPLICA, "units") is False
        assert router.allow_migrate(PRIMARY, "units") is None

    def test_an_object_from_the_replica_may_be_related_to_one_from_the_primary(self) -> None:
        with use_replica():
            street = Jurisdiction.objects.get(code=DENGFENG)
        staff = make_user("street_writer", Role.STAFF)
        staff.jurisdiction = street  # refused by Django's default routing across databases
        staff.save(update_fields=["jurisdiction"])
        assert User.objects.get(pk=staff.pk).jurisdiction_id == street.pk


@pytest.mark.django_db(transaction=True, databases=BOTH)
@pytest.mark.usefixtures("replica_alias", "routed")
class TestAUsersOwnWrites:
    """A user's write pins their next requests to the primary for
    DATABASE_REPLICA_PIN_SECONDS: the page a form redirects to shows what the form saved."""

    def session(self) -> SessionStore:
        session = SessionStore()
        session.create()  # a logged-in browser's: it has a key
        return session

    def request(self, session: SessionStore) -> HttpRequest:
        request = RequestFactory().get("/")
        request.session = session
        return request

    def serve(self, request: HttpRequest, view: Any) -> HttpResponse:
        return CurrentRequestMiddleware(view)(request)  # type: ignore[return-value]

    def test_the_next_request_after_a_write_reads_the_primary(self) -> None:
        session = self.session()

        def form_view(request: HttpRequest) -> HttpResponse:
            new_user("writer06")
            return HttpResponse()

        seen: list[bool] = []

        @use_replica
        def list_view(request: HttpRequest) -> HttpResponse:
            seen.append(reading_replica())
            return HttpResponse()

        self.serve(self.request(session), form_view)
        self.serve(self.request(session), list_view)
        session[PIN_SESSION_KEY] = time.time() - 1  # the pin has run out
        self.serve(self.request(session), list_view)
        assert seen == [False, True]

    def test_another_users_requests_are_not_pinned(self) -> None:
        def form_view(request: HttpRequest) -> HttpResponse:
            new_user("writer07")
            return HttpResponse()

        seen: list[bool] = []

        @use_replica
        def list_view(request: HttpRequest) -> HttpResponse:
            seen.append(reading_replica())
            return HttpResponse()

        self.serve(self.request(self.session()), form_view)
        self.serve(self.request(self.session()), list_view)
        assert seen == [True]

    def test_a_request_without_a_session_is_not_given_one(self) -> None:
        session = SessionStore()  # a token client's request: no session cookie

        def api_view(request: HttpRequest) -> HttpResponse:
            new_user("writer09")
            return HttpResponse()

        self.serve(self.request(session), api_view)
        assert PIN_SESSION_KEY not in session

    def test_no_pin_is_kept_when_its_duration_is_zero(self, settings: Any) -> None:
        settings.DATABASE_REPLICA_PIN_SECONDS = 0
        session = self.session()

        def form_view(request: HttpRequest) -> HttpResponse:
            new_user("writer08")
            return HttpResponse()

        self.serve(self.request(session), form_view)
        assert PIN_SESSION_KEY not in session


# The pages that read the replica: the dashboard, the big screen, every staff list and export.
REPLICA_PAGES = [
    ("dashboard", {}),
    ("dashboard-screen", {}),
    ("unit-list", {}),
    ("unit-export", {"fmt": "xlsx"}),
    ("application-list", {}),
    ("complaint-list", {}),
    ("complaint-export", {"fmt": "xlsx"}),
    ("survey-list", {}),
    ("survey-export", {"fmt": "xlsx"}),
    ("sampling-list", {}),
    ("sampling-export", {"fmt": "xlsx"}),
    ("check-list", {}),
    ("finding-list", {}),
    ("score-list", {}),
    ("score-export", {"fmt": "xlsx"}),
    ("appeal-list", {}),
    ("appeal-export", {"fmt": "xlsx"}),
    ("report-list", {}),
    ("proposal-list", {}),
    ("proposal-export", {"fmt": "xlsx"}),
]


@pytest.mark.django_db(transaction=True, databases=BOTH)
@pytest.mark.usefixtures("replica_alias", "routed")
class TestPages:
    def test_the_dashboard_lists_and_exports_read_the_replica(
        self, district_staff: User, settings: Any
    ) -> None:
        # One test for all of them: each transactional test empties the database afterwards.
        # An export records an audit event, which would keep the next pages on the primary.
        settings.DATABASE_REPLICA_PIN_SECONDS = 0
        client = client_for(district_staff)
        missed = []
        for name, kwargs in REPLICA_PAGES:
            with CaptureQueriesContext(connections[REPLICA]) as replica:
                response = client.get(reverse(name, kwargs=kwargs))
            if response.status_code != 200 or not replica.captured_queries:
                missed.append((name, response.status_code, len(replica.captured_queries)))
        assert missed == []

    def test_a_detail_page_reads_the_primary(self, district_staff: User) -> None:
        client = client_for(district_staff)
        with CaptureQueriesContext(connections[REPLICA]) as replica:
            response = client.get(reverse("jurisdiction-detail", kwargs={"code": DENGFENG}))
        assert response.status_code == 200
        assert not replica.captured_queries

    def test_a_login_keeps_the_first_page_after_it_on_the_primary(
        self, district_staff: User
    ) -> None:
        client = Client()
        response = client.post(
            reverse("login"), {"username": district_staff.username, "password": "Correct-Horse-42"}
        )
        assert response.status_code == 302  # last_login was written: the user is pinned
        with CaptureQueriesContext(connections[REPLICA]) as replica:
            assert client.get(reverse("unit-list")).status_code == 200
        assert not replica.captured_queries


@pytest.mark.django_db(transaction=True, databases=BOTH)
@pytest.mark.usefixtures("replica_alias", "routed")
def test_a_reports_targets_are_evaluated_on_the_replica_and_read_back_from_the_primary(
    queries: dict[str, CaptureQueriesContext],
) -> None:
    """The rendering reads the period's raw figures from the replica; once it has written the
    target results, what it reads (those results among them) comes from the primary."""
    from scoring.models import Report
    from scoring.reports import services as reports

    report = Report.objects.create(kind="monthly", period="2025-06", scope_code="district")
    with (
        mock.patch("scoring.reports.render.render_pdf", side_effect=RuntimeError("stop here")),
        pytest.raises(RuntimeError),
    ):
        reports.report_build(report_id=report.pk)
    assert ran_on(queries[REPLICA], "scoring_target")
    assert not ran_on(queries[REPLICA], "scoring_targetresult")
    assert ran_on(queries[PRIMARY], "scoring_targetresult")


@pytest.mark.django_db
def test_without_a_replica_every_read_goes_to_the_primary(settings: Any) -> None:
    settings.DATABASE_ROUTERS = [ROUTER]
    assert REPLICA not in connections
    with use_replica():
        assert not reading_replica()
        assert Jurisdiction.objects.all().db == PRIMARY


def settings_of(**environ: str) -> dict[str, Any]:
    dropped = {"DATABASE_URL", "DATABASE_REPLICA_URL", "DJANGO_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps({'databases': {k: {'mirror': v.get('TEST', {}).get('MIRROR'),"
        " 'options': v.get('OPTIONS', {}), 'conn_max_age': v.get('CONN_MAX_AGE')}"
        " for k, v in settings.DATABASES.items()}, 'routers': settings.DATABASE_ROUTERS}, "
        "default=str))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**base, **environ},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    parsed: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return parsed


def test_settings_declare_the_replica_as_a_test_mirror_with_its_router() -> None:
    declared = settings_of(
        DATABASE_URL="postgres://portal@db.invalid:5432/portal",
        DATABASE_REPLICA_URL="postgres://portal@replica.invalid:5432/portal",
    )
    assert declared["routers"] == [ROUTER]
    assert declared["databases"]["replica"]["mirror"] == "default"
    assert (
        declared["databases"]["replica"]["options"] == declared["databases"]["default"]["options"]
    )


def test_settings_without_a_replica_url_have_no_replica_and_no_router() -> None:
    declared = settings_of(DATABASE_URL="postgres://portal@db.invalid:5432/portal")
    assert list(declared["databases"]) == ["default"]
    assert declared["routers"] == []


def test_postgresql_connections_come_from_a_pool_sized_by_the_environment() -> None:
    declared = settings_of(
        DATABASE_URL="postgres://portal@db.invalid:5432/portal", DB_POOL_MIN="2", DB_POOL_MAX="8"
    )
    default = declared["databases"]["default"]
    assert default["options"]["pool"] == {"min_size": 2, "max_size": 8}
    assert default["conn_max_age"] == 0  # Django refuses persistent connections with a pool


def test_without_the_pool_connections_persist_for_db_conn_max_age() -> None:
    declared = settings_of(
        DATABASE_URL="postgres://portal@db.invalid:5432/portal",
        DB_POOL_MAX="0",
        DB_CONN_MAX_AGE="30",
    )
    default = declared["databases"]["default"]
    assert "pool" not in default["options"]
    assert default["conn_max_age"] == 30
