"""Login lockout and session lifetimes (issue 8, items 1 and 3)."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from lyushunkou.middleware import SESSION_STARTED_KEY
from lyushunkou.models import AuditEvent, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def attempt(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_five_wrong_passwords_lock_the_username_and_say_when_to_retry(
    client: Client, district_staff: User
) -> None:
    for _ in range(5):
        attempt(client, "alice", "wrong-password")
    locked = attempt(client, "alice", PASSWORD)  # even the right password is refused now
    assert locked.status_code == 429
    assert "retry_at" in locked.context
    assert locked.context["minutes"] == 30
    assert AuditEvent.objects.filter(action="auth.locked_out", username="alice").exists()
    assert not AuditEvent.objects.filter(action="auth.login", actor=district_staff).exists()


def test_the_lock_applies_to_the_username_from_another_address(
    client: Client, district_staff: User
) -> None:
    for number in range(5):
        attempt(client, "alice", "wrong-password", ip=f"10.0.1.{number}")
    assert attempt(Client(), "alice", PASSWORD, ip="10.9.9.9").status_code == 429


def test_an_address_is_locked_separately_across_usernames(
    client: Client, district_staff: User
) -> None:
    for number in range(5):
        attempt(client, f"guess{number}", "wrong-password", ip="10.0.2.1")
    assert attempt(Client(), "alice", PASSWORD, ip="10.0.2.1").status_code == 429
    assert attempt(Client(), "alice", PASSWORD, ip="10.0.2.2").status_code == 302


def test_a_success_before_the_limit_resets_the_count(client: Client, district_staff: User) -> None:
    for _ in range(4):
        attempt(client, "alice", "wrong-password")
    assert attempt(client, "alice", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        attempt(client, "alice", "wrong-password")
    assert attempt(client, "alice", PASSWORD).status_code == 302


def test_the_security_administrator_can_see_and_lift_lockouts(
    client: Client, district_staff: User, secadmin: User, sysadmin: User
) -> None:
    from tests.conftest import client_for

    for _ in range(5):
        attempt(client, "alice", "wrong-password")
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert client_for(secadmin).get(changelist).status_code == 200
    assert client_for(sysadmin).get(changelist).status_code == 403


def test_sessions_idle_out_after_30_minutes_and_renew_on_activity(settings: object) -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60  # type: ignore[attr-defined]
    assert settings.SESSION_SAVE_EVERY_REQUEST is True  # type: ignore[attr-defined]


def test_a_session_ends_12_hours_after_login_however_active(
    client: Client, district_staff: User
) -> None:
    assert attempt(client, "alice", PASSWORD).status_code == 302
    assert client.get("/").status_code == 200
    session = client.session
    session[SESSION_STARTED_KEY] = int(time.time()) - 12 * 3600 - 1
    session.save()
    # The workbench's notifications: / itself is the public front door for a visitor.
    response = client.get(reverse("notification-list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert client.get(reverse("notification-list")).status_code == 302  # logged out for good
    assert AuditEvent.objects.filter(action="auth.session_expired", actor=district_staff).exists()


def test_login_gives_a_new_session_key(client: Client, district_staff: User) -> None:
    client.get(reverse("login"))
    client.cookies["sessionid"] = "attacker-chosen-key"
    attempt(client, "alice", PASSWORD)
    assert client.cookies["sessionid"].value != "attacker-chosen-key"


def test_password_reset_requests_are_rate_limited_per_address(client: Client) -> None:
    url = reverse("password_reset")
    for _ in range(5):
        assert client.post(url, {"email": "someone@example.org"}).status_code == 302
    assert client.post(url, {"email": "someone@example.org"}).status_code == 429
    assert client.get(url).status_code == 200  # reading the form is not limited
    assert AuditEvent.objects.filter(
        action="ratelimit.exceeded", detail__scope="password_reset"
    ).exists()


def test_exports_are_rate_limited_per_user(district_staff: User, leader: User) -> None:
    from tests.conftest import client_for

    staff = client_for(district_staff)
    for _ in range(30):
        assert staff.get(reverse("unit-export", args=["csv"])).status_code == 200
    assert staff.get(reverse("complaint-export", args=["csv"])).status_code == 429
    assert client_for(leader).get(reverse("unit-export", args=["csv"])).status_code == 200


def test_a_flagged_user_must_change_the_password_before_anything_else(
    client: Client, district_staff: User
) -> None:
    district_staff.must_change_password = True
    district_staff.save(update_fields=["must_change_password"])
    attempt(client, "alice", PASSWORD)
    response = client.get("/")
    assert response.status_code == 302
    assert "/accounts/password_change/" in response["Location"]
    assert client.get(reverse("password_change")).status_code == 200
    new = "Lyushunkou-Changed-2026"
    changed = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert changed.status_code == 302
    district_staff.refresh_from_db()
    assert district_staff.must_change_password is False
    assert client.get("/").status_code == 200  # the session survives its own password change
    assert AuditEvent.objects.filter(action="auth.password_changed", actor=district_staff).exists()


def test_a_password_change_logs_out_other_sessions(district_staff: User) -> None:
    first, second = Client(), Client()
    attempt(first, "alice", PASSWORD, ip="10.1.0.1")
    attempt(second, "alice", PASSWORD, ip="10.1.0.2")
    new = "Lyushunkou-Changed-2026"
    first.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert first.get("/").status_code == 200
    assert second.get(reverse("notification-list")).status_code == 302  # logged out
