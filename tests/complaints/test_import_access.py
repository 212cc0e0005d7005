"""Importing the 12315 complaint file: who may import, and street staff only within their street."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from complaints.models import Complaint
from lyushunkou.models import User
from tests.complaints.helpers import register
from tests.complaints.import_helpers import (
    IMPORT,
    TEMPLATE,
    concluded,
    errors,
    row,
    run,
    upload,
    xlsx,
)
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


# --- Access --------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client: Client) -> None:
    assert client.get(IMPORT).status_code == 302
    assert client.get(TEMPLATE).status_code == 302


@pytest.mark.parametrize("persona", ["leader", "operator", "sysadmin", "secadmin", "auditor"])
def test_only_staff_import(persona: str, request: pytest.FixtureRequest) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get(IMPORT).status_code == 403
    assert upload(client, xlsx([row(1)])).status_code == 403
    assert client.get(TEMPLATE).status_code == 403
    assert not Complaint.objects.exists()


# --- Scope ---------------------------------------------------------------------------------


def test_street_staff_may_import_only_their_street(street_staff: User, desheng: Any) -> None:
    result = run(xlsx([row(1), row(2, 所属街道="得胜街道")]), street_staff)
    assert errors(result) == [
        "row 3, 所属街道: Outside your jurisdiction: you may import complaints of 登峰街道 only."
    ]
    assert not Complaint.objects.exists()
    assert run(xlsx([row(1)]), street_staff).ok


def test_street_staff_cannot_update_another_streets_complaint(
    street_staff: User, desheng: Any
) -> None:
    register(desheng, on=dt.date(2026, 10, 8), record_no="12102122026100001")
    result = run(xlsx([concluded(1)]), street_staff)
    assert errors(result) == [
        "row 2, 登记编号: This complaint is registered in 得胜街道, outside your jurisdiction."
    ]
