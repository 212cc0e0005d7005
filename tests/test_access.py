"""Jurisdictions: the worked example of the access-helper pattern, with a test per role."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from lyushunkou.access import jurisdictions_for_user, scope_by_jurisdiction
from lyushunkou.models import AuditEvent, Jurisdiction, User
from tests.conftest import DENGFENG, DESHENG, client_for

# Declared, not inferred: personas come from getfixturevalue, which pytest-django cannot see
# when it orders database tests before the transactional ones that flush migration data.
pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
LIST = reverse("jurisdiction-list")


def detail(code: str) -> str:
    return reverse("jurisdiction-detail", args=[code])


def test_anonymous_visitor_is_sent_to_login(client: Client, db: None) -> None:
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get(detail(DENGFENG)).status_code == 302


@pytest.mark.parametrize("persona", ["operator", "sysadmin", "secadmin", "auditor"])
def test_roles_without_jurisdiction_pages_are_refused(
    persona: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(persona)
    client = client_for(user)
    assert client.get(LIST).status_code == 403
    assert client.get(detail(DENGFENG)).status_code == 403
    assert AuditEvent.objects.filter(actor=user, action="access.denied").count() == 2


@pytest.mark.parametrize("persona", ["district_staff", "leader"])
def test_district_wide_users_see_every_jurisdiction(
    persona: str, request: pytest.FixtureRequest
) -> None:
    client = client_for(request.getfixturevalue(persona))
    response = client.get(LIST)
    assert response.status_code == 200
    content = response.content.decode()
    assert "登峰街道" in content
    assert "江西街道" in content
    assert "旅顺口区" in content
    assert client.get(detail(DESHENG)).status_code == 200


def test_street_staff_see_only_their_street(street_staff: User) -> None:
    client = client_for(street_staff)
    content = client.get(LIST).content.decode()
    assert "登峰街道" in content
    assert "得胜街道" not in content
    assert client.get(detail(DENGFENG)).status_code == 200


def test_street_staff_get_404_for_another_street_and_it_is_audited(street_staff: User) -> None:
    response = client_for(street_staff).get(detail(DESHENG))
    assert response.status_code == 404
    event = AuditEvent.objects.get(actor=street_staff, action="access.denied")
    assert event.outcome == AuditEvent.Outcome.DENIED
    assert event.detail["requested"] == DESHENG


def test_scope_helper_limits_records_to_the_street(
    street_staff: User, district_staff: User, operator: User
) -> None:
    # Jurisdictions scoped by their own primary key stand in for any jurisdiction-bound record.
    qs = Jurisdiction.objects.all()
    assert scope_by_jurisdiction(qs, district_staff, field="parent").count() == qs.count()
    assert scope_by_jurisdiction(qs, operator, field="parent").count() == 0
    assert jurisdictions_for_user(street_staff).count() == 1


def test_the_list_page_costs_the_same_queries_however_many_jurisdictions(
    district_staff: User, django_assert_max_num_queries: object
) -> None:
    client = client_for(district_staff)
    district = Jurisdiction.objects.get(code="210212000000")
    for number in range(30):
        Jurisdiction.objects.create(
            code=f"2102129{number:02d}000",
            name=f"测试社区{number}",
            kind="park",
            parent=district,
            population=1000,
        )
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        assert client.get(LIST).status_code == 200


def test_views_never_query_scoped_models_directly() -> None:
    # STYLE.md habit 1: views fetch through access helpers; a bare .objects.get is a bug.
    offenders = []
    for path in ROOT.glob("*/views*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\.objects\.(get|filter|all|exclude)\(", line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
