"""Separation of duties over accounts (三员分立): who may set another account's credentials.

The penetration test's finding: the system administrator could POST a new password for the
security administrator and so hold both roles, with no audit event.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from lyushunkou.models import AuditEvent, Role, User
from tests.conftest import PASSWORD, client_for, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Lyushunkou-Neu-2026!"


def password_page(user: User) -> str:
    return reverse("admin:auth_user_password_change", args=[user.pk])


def link_page(user: User) -> str:
    return reverse("admin:lyushunkou_user_password_link", args=[user.pk])


def change_page(user: User) -> str:
    return reverse("admin:lyushunkou_user_change", args=[user.pk])


def test_the_system_administrator_cannot_set_the_security_administrators_password(
    sysadmin: User, secadmin: User
) -> None:
    response = client_for(sysadmin).post(
        password_page(secadmin),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "set_usable_password": "true"},
    )
    assert response.status_code == 403
    secadmin.refresh_from_db()
    assert secadmin.check_password(PASSWORD)
    assert AuditEvent.objects.filter(
        action="access.denied", actor=sysadmin, outcome=AuditEvent.Outcome.DENIED
    ).exists()


def test_the_system_administrator_cannot_issue_a_link_for_a_used_account(
    sysadmin: User, secadmin: User, district_staff: User
) -> None:
    client = client_for(sysadmin)
    for target in (secadmin, district_staff):
        assert client.post(link_page(target)).status_code == 403
        target.refresh_from_db()
        assert target.check_password(PASSWORD)


def test_the_system_administrator_cannot_change_anothers_username_or_email(
    sysadmin: User, secadmin: User
) -> None:
    client = client_for(sysadmin)
    page = client.get(change_page(secadmin))
    assert {"username", "email", "role", "is_active"} <= set(
        page.context["adminform"].readonly_fields
    )
    client.post(
        change_page(secadmin),
        {"username": "taken", "email": "sysadmin@example.org", "full_name": "改名"},
    )
    secadmin.refresh_from_db()
    assert (secadmin.username, secadmin.email) == ("grace", "")


@pytest.mark.parametrize("kind", [Role.SYSADMIN, Role.AUDITOR])
def test_nobody_changes_the_credentials_of_an_administrator_of_another_kind(
    secadmin: User, kind: str
) -> None:
    target = make_user(f"other-{kind}", kind, email="admin@example.org")
    client = client_for(secadmin)
    assert client.get(password_page(target)).status_code == 403
    assert client.post(link_page(target)).status_code == 403
    page = client.get(change_page(target))
    assert {"username", "email", "role"} <= set(page.context["adminform"].readonly_fields)
    target.refresh_from_db()
    assert target.check_password(PASSWORD)


def test_the_security_administrator_resets_staff_with_a_link_sent_by_email(
    secadmin: User, district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    district_staff.email = "staff@example.org"
    district_staff.save(update_fields=["email"])
    client = client_for(secadmin)
    assert client.get(password_page(district_staff))["Location"] == link_page(district_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link_page(district_staff))
    assert response.status_code == 200
    district_staff.refresh_from_db()
    assert not district_staff.has_usable_password()  # the old password stopped working
    # The link went to the account's address and was not shown to the administrator.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["staff@example.org"]
    link = re.search(r"https?://\S+", str(mail.outbox[0].body))
    assert link is not None
    assert link.group(0) not in response.content.decode()
    event = AuditEvent.objects.get(action="user.password_link_issued", actor=secadmin)
    assert event.detail == {"emailed": True}


def test_a_new_account_sets_its_own_password_through_a_one_time_link(sysadmin: User) -> None:
    client = client_for(sysadmin)
    response = client.post(
        reverse("admin:lyushunkou_user_add"),
        {"username": "newstaff", "full_name": "新人员", "email": "", "phone": ""},
    )
    created = User.objects.get(username="newstaff")
    assert response["Location"] == link_page(created)
    assert not created.has_usable_password()
    assert AuditEvent.objects.filter(action="user.created", actor=sysadmin).exists()

    issued = client.post(link_page(created))
    link = issued.context["link"]
    assert link in issued.content.decode()

    holder = Client()
    form_page = holder.get(link, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"]
    done = holder.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    created.refresh_from_db()
    assert created.check_password(NEW_PASSWORD)
    set_event = AuditEvent.objects.get(action="user.password_set", object_id=str(created.pk))
    assert NEW_PASSWORD not in str(set_event.detail)

    # Used once, the link is dead; and now the system administrator cannot issue another.
    assert not Client().get(link, follow=True).context["validlink"]
    assert client.post(link_page(created)).status_code == 403


def test_administrator_roles_are_never_granted_in_the_admin(secadmin: User, operator: User) -> None:
    response = client_for(secadmin).post(
        change_page(operator),
        {"username": operator.username, "role": Role.SYSADMIN, "is_active": "on"},
    )
    assert response.status_code == 200
    assert "role" in response.context["adminform"].form.errors
    operator.refresh_from_db()
    assert operator.role == Role.OPERATOR


def test_an_email_change_is_audited_with_before_and_after(secadmin: User, operator: User) -> None:
    response = client_for(secadmin).post(
        change_page(operator),
        {
            "username": operator.username,
            "email": "new@example.org",
            "role": Role.OPERATOR,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="user.identity_changed", actor=secadmin)
    assert event.detail["before"] == {"email": ""}
    assert event.detail["after"] == {"email": "new@example.org"}
    assert not AuditEvent.objects.filter(action="user.role_changed").exists()


def test_deactivation_is_audited(secadmin: User, operator: User) -> None:
    client_for(secadmin).post(
        change_page(operator),
        {"username": operator.username, "role": Role.OPERATOR},  # is_active unticked
    )
    operator.refresh_from_db()
    assert operator.is_active is False
    event = AuditEvent.objects.get(action="user.role_changed", actor=secadmin)
    assert event.detail["after"] == {"is_active": False}


def test_two_factor_devices_added_and_removed_are_audited(
    secadmin: User, district_staff: User
) -> None:
    device = TOTPDevice.objects.create(user=district_staff, name="phone", confirmed=False)
    device.confirmed = True
    device.save()
    delete = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert client_for(secadmin).post(delete, {"post": "yes"}).status_code == 302
    actions = list(
        AuditEvent.objects.filter(action__startswith="otp.device")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["otp.device_added", "otp.device_confirmed", "otp.device_deleted"]
    deleted = AuditEvent.objects.get(action="otp.device_deleted")
    assert deleted.actor == secadmin
    assert deleted.detail["user"] == district_staff.username
