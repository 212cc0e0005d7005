"""The score page (why a unit has its grade, issue 6 item 3): who may open it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lyushunkou.models import AuditEvent, Jurisdiction, Role, User
from tests.conftest import client_for, make_user
from tests.scoring.matrix_scores import make_score
from tests.scoring.scores_helpers import score_url
from units.models import Unit

pytestmark = pytest.mark.django_db


# --- Who may open a score page ---------------------------------------------------------------


def test_the_units_operator_staff_in_scope_and_leaders_open_the_score_page(
    unit: Unit, operator: User, street_staff: User, district_staff: User, leader: User
) -> None:
    make_score(unit)
    for user in (operator, street_staff, district_staff, leader):
        response = client_for(user).get(score_url(unit))
        assert response.status_code == 200, user.username
        assert response.context["score"].unit == unit


def test_outsiders_cannot_open_the_score_page(
    unit: Unit,
    other_operator: User,
    desheng: Jurisdiction,
    sysadmin: User,
    auditor: User,
) -> None:
    make_score(unit)
    desheng_staff = make_user("ivan", Role.STAFF, desheng)
    assert client_for(other_operator).get(score_url(unit)).status_code == 404
    assert client_for(desheng_staff).get(score_url(unit)).status_code == 404
    assert client_for(sysadmin).get(score_url(unit)).status_code == 403
    assert client_for(auditor).get(score_url(unit)).status_code == 403
    assert Client().get(score_url(unit))["Location"].startswith(reverse("login"))
    denied = AuditEvent.objects.filter(action="access.denied", actor=other_operator).get()
    assert denied.detail["model"] == "scoring.unitscore"


def test_a_period_without_a_score_is_not_found(unit: Unit, operator: User) -> None:
    make_score(unit, "2026-10")
    assert client_for(operator).get(score_url(unit, "2026-09")).status_code == 404
