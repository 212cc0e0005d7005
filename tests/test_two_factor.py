"""Two-factor login with TOTP for staff, leaders and administrators (issue 8, item 2)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lyushunkou.models import AuditEvent, User
from tests.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db

SETUP = reverse("otp-setup")
VERIFY = reverse("otp-verify")


@pytest.fixture
def required(settings: Any) -> None:
    settings.TWO_FACTOR_REQUIRED = True


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    return f"{(int(current_code(device)) + 1) % 1_000_000:06d}"


def confirmed_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def password_login(user: User) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.usefixtures("required")
def test_staff_without_a_device_is_sent_to_set_up_and_confirms_with_a_code(
    district_staff: User,
) -> None:
    client = client_for(district_staff)
    response = client.get("/units/")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=/units/"

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.context["secret"]
    assert page.context["qr_code"].startswith("data:image/svg+xml")
    device = TOTPDevice.objects.get(user=district_staff)
    assert not device.confirmed

    refused = client.post(SETUP, {"token": wrong_code(device), "next": "/units/"})
    assert refused.status_code == 200
    assert refused.context["form"].errors
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/").status_code == 302  # still not in

    device.throttle_reset()  # a wrong code slows the next try down by a second
    accepted = client.post(SETUP, {"token": current_code(device), "next": "/units/"})
    # On to the backup codes, shown once (tests/test_two_factor_backup.py), then where it was going.
    assert accepted.status_code == 302
    assert accepted["Location"] == f"{reverse('otp-backup-codes')}?next=%2Funits%2F"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200
    assert client.get("/units/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.2fa_enabled", actor=district_staff).exists()


@pytest.mark.usefixtures("required")
def test_a_new_session_must_enter_a_code_and_a_wrong_one_is_refused_and_audited(
    district_staff: User,
) -> None:
    device = confirmed_device(district_staff)
    client = password_login(district_staff)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=/"
    # The set-up page offers no new secret to someone who already has a device.
    assert client.get(SETUP)["Location"].startswith(VERIFY)

    refused = client.post(VERIFY, {"token": wrong_code(device), "next": "/"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["token"]
    failure = AuditEvent.objects.get(action="auth.2fa_failed", actor=district_staff)
    assert failure.outcome == AuditEvent.Outcome.FAILURE
    assert client.get("/").status_code == 302

    device.throttle_reset()
    accepted = client.post(VERIFY, {"token": current_code(device), "next": "/"})
    assert accepted.status_code == 302
    assert accepted["Location"] == "/"
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.2fa_verified", actor=district_staff).exists()


@pytest.mark.usefixtures("required")
def test_too_many_wrong_codes_stop_the_checking(district_staff: User) -> None:
    device = confirmed_device(district_staff)
    client = password_login(district_staff)
    for _ in range(5):
        client.post(VERIFY, {"token": wrong_code(device)})
    device.throttle_reset()
    locked = client.post(VERIFY, {"token": current_code(device)})
    assert locked.status_code == 429
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(
        action="auth.2fa_failed", outcome=AuditEvent.Outcome.DENIED
    ).exists()


@pytest.mark.usefixtures("required")
@pytest.mark.parametrize("persona", ["leader", "sysadmin", "secadmin", "auditor"])
def test_leaders_and_administrators_must_set_up_too(
    request: pytest.FixtureRequest, persona: str
) -> None:
    user = request.getfixturevalue(persona)
    response = client_for(user).get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)


@pytest.mark.usefixtures("required")
def test_logout_and_language_stay_open_but_not_the_password_change(district_staff: User) -> None:
    client = client_for(district_staff)
    # A stolen password alone must not be enough to change the password.
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)
    assert client.post(reverse("set_language"), {"language": "en"}).status_code == 302
    assert client.post(reverse("logout")).status_code == 302


@pytest.mark.usefixtures("required")
def test_a_flagged_password_change_waits_for_the_second_factor(district_staff: User) -> None:
    district_staff.must_change_password = True
    district_staff.save(update_fields=["must_change_password"])
    client = client_for(district_staff)
    first = client.get("/")
    assert first.status_code == 302
    assert "/accounts/password_change/" in first["Location"]
    second = client.get(first["Location"])  # no redirect loop: on to the second factor
    assert second.status_code == 302
    assert second["Location"].startswith(SETUP)
    assert client.get(second["Location"]).status_code == 200


@pytest.mark.usefixtures("required")
def test_operators_are_not_bothered_unless_they_opted_in(operator: User) -> None:
    client = client_for(operator)
    assert client.get("/").status_code == 200

    confirmed_device(operator)  # opted in
    response = password_login(operator).get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


def test_with_the_setting_off_nobody_is_bothered(settings: Any, district_staff: User) -> None:
    settings.TWO_FACTOR_REQUIRED = False
    confirmed_device(district_staff)
    assert client_for(district_staff).get("/").status_code == 200


def test_the_security_administrator_resets_two_factor_the_system_administrator_cannot(
    secadmin: User, sysadmin: User, district_staff: User
) -> None:
    device = confirmed_device(district_staff)
    changelist = reverse("admin:otp_totp_totpdevice_changelist")
    assert client_for(secadmin).get(changelist).status_code == 200
    assert client_for(sysadmin).get(changelist).status_code == 403
    delete = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert client_for(sysadmin).post(delete, {"post": "yes"}).status_code == 403
    assert client_for(secadmin).post(delete, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
