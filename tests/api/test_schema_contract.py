"""Schemathesis against the OpenAPI schema (issue 18 item 6): for every endpoint and method, a
bounded, deterministic set of generated requests, sent with a token of every scope, must never
get a 500 and every answer must conform to the schema. The schema is loaded from the WSGI app
(``/api/v1/schema/``), so it is the one clients download."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from lyushunkou.models import User
from lyushunkou.wsgi import application
from tests.api.helpers import system, token_for

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Any:
    """Django's test client stops requests from closing the database connection; calls straight
    into the WSGI app do not, and on PostgreSQL the test's own transaction would be closed under
    it. Disconnect the closer for the test, as the test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(secadmin: User) -> str:
    return token_for(system(secadmin), secadmin)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.slow
def test_every_endpoint_keeps_to_the_schema(case: Any, token: str) -> None:
    case.call_and_validate(
        app=application, headers={"Authorization": f"Bearer {token}"}, checks=CHECKS
    )
