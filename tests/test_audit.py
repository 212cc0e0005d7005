"""Audit events: logins, logouts and failed logins are recorded and cannot be changed."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from lyushunkou import audit
from lyushunkou.models import AuditEvent, User
from tests.conftest import PASSWORD, client_for


def test_a_login_is_recorded_with_the_address(client: Client, district_staff: User) -> None:
    response = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="auth.login")
    assert (event.actor, event.ip_address, event.outcome) == (district_staff, "10.1.2.3", "success")


def test_a_wrong_password_is_refused_without_saying_whether_the_user_exists(
    client: Client, district_staff: User
) -> None:
    known = client.post(reverse("login"), {"username": "alice", "password": "wrong-password"})
    unknown = client.post(reverse("login"), {"username": "nobody", "password": "wrong-password"})
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors
    assert "正确的" in known.content.decode()  # Django's Chinese message for bad credentials
    failures = AuditEvent.objects.filter(action="auth.login_failed").order_by("id")
    assert [e.username for e in failures] == ["alice", "nobody"]
    assert all(e.outcome == "failure" and e.actor is None for e in failures)
    assert "wrong-password" not in str([e.detail for e in failures])


def test_a_logout_is_recorded(district_staff: User) -> None:
    client = client_for(district_staff)
    assert client.post(reverse("logout")).status_code == 302
    assert AuditEvent.objects.filter(action="auth.logout", actor=district_staff).exists()


def test_events_cannot_be_changed_or_deleted_through_the_application(db: None) -> None:
    event = audit.record("test.event", username="system")
    event.action = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_itself_rejects_rewriting_history(db: None) -> None:
    event = audit.record("test.event", username="system")
    for sql in (
        "UPDATE lyushunkou_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM lyushunkou_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"
