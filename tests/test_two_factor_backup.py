"""Backup codes for two-factor login: shown once, single use, audited, regenerated (issue 16,
item 5)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lyushunkou.backup_codes import backup_codes_issue
from lyushunkou.models import AuditEvent, Notification, User
from tests.conftest import client_for
from tests.test_two_factor import confirmed_device, current_code, password_login, wrong_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("required")]

SETUP = reverse("otp-setup")
VERIFY = reverse("otp-verify")
CODES = reverse("otp-backup-codes")
DOWNLOAD = reverse("otp-backup-download")
REGENERATE = reverse("otp-backup-regenerate")


@pytest.fixture
def required(settings: Any) -> None:
    settings.TWO_FACTOR_REQUIRED = True


def set_up_authenticator(user: User) -> tuple[Client, list[str]]:
    """Set up the authenticator app as a user does; returns the client and the codes shown."""
    client = client_for(user)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    confirmed = client.post(SETUP, {"token": current_code(device), "next": "/units/"})
    page = client.get(confirmed["Location"])
    assert page.status_code == 200
    codes: list[str] = page.context["codes"]
    return client, codes


def verified_client(user: User) -> Client:
    """A password login followed by the authenticator app's code."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    client = password_login(user)
    assert client.post(VERIFY, {"token": current_code(device)}).status_code == 302
    return client


def sign_in_with_backup_code(user: User, code: str) -> tuple[Client, Any]:
    client = password_login(user)
    return client, client.post(VERIFY, {"backup_code": code, "next": "/"})


def test_setting_up_the_app_shows_ten_backup_codes(district_staff: User) -> None:
    client, codes = set_up_authenticator(district_staff)
    assert len(set(codes)) == 10
    page = client.get(CODES)  # the list is gone: the session no longer holds the codes
    assert page.context["codes"] is None
    assert StaticToken.objects.filter(device__user=district_staff).count() == 10


def test_the_page_with_the_codes_has_them_and_a_download_button(district_staff: User) -> None:
    client = client_for(district_staff)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=district_staff)
    confirmed = client.post(SETUP, {"token": current_code(device), "next": "/units/"})
    assert confirmed["Location"] == f"{CODES}?next=%2Funits%2F"
    page = client.get(confirmed["Location"]).content.decode()
    codes = StaticToken.objects.filter(device__user=district_staff).values_list("token", flat=True)
    assert all(code in page for code in codes)
    assert "下载备用码" in page
    assert 'href="/units/"' in page  # on to where the user was going


def test_visiting_the_page_again_does_not_show_the_codes(district_staff: User) -> None:
    client, codes = set_up_authenticator(district_staff)
    again = client.get(CODES)
    assert again.status_code == 200
    assert not any(code in again.content.decode() for code in codes)
    assert "您还有 10 个未使用的备用码。" in again.content.decode()


def test_the_download_gives_the_same_ten_codes(district_staff: User) -> None:
    client, codes = set_up_authenticator(district_staff)
    response = client.post(DOWNLOAD, {"code": codes})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="backup-codes.txt"'
    lines = response.content.decode("utf-8-sig").splitlines()
    assert [line for line in lines if line in codes] == codes
    assert "alice 的两步验证登录备用码" in lines
    assert AuditEvent.objects.filter(
        action="otp.backup_codes_downloaded", actor=district_staff
    ).exists()


def test_codes_no_longer_shown_cannot_be_downloaded_by_guessing(district_staff: User) -> None:
    client, codes = set_up_authenticator(district_staff)
    made_up = ["aaaaaaaa", *codes[1:]]
    response = client.post(DOWNLOAD, {"code": made_up})
    assert response.status_code == 302
    assert response["Location"] == CODES
    assert client.post(DOWNLOAD, {}).status_code == 302


def test_a_backup_code_signs_in_at_the_verify_step(district_staff: User) -> None:
    confirmed_device(district_staff)
    codes = backup_codes_issue(user=district_staff)
    page = password_login(district_staff).get(VERIFY).content.decode()
    assert 'name="backup_code"' in page
    assert "使用备用码登录" in page
    client, response = sign_in_with_backup_code(district_staff, codes[0])
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/units/").status_code == 200


def test_a_backup_code_may_be_typed_in_capitals_with_spaces(district_staff: User) -> None:
    confirmed_device(district_staff)
    code = backup_codes_issue(user=district_staff)[0]
    typed = f" {code[:4].upper()} {code[4:].upper()} "
    _client, response = sign_in_with_backup_code(district_staff, typed)
    assert response.status_code == 302


def test_the_same_backup_code_a_second_time_is_refused(district_staff: User) -> None:
    confirmed_device(district_staff)
    code = backup_codes_issue(user=district_staff)[0]
    sign_in_with_backup_code(district_staff, code)

    client, refused = sign_in_with_backup_code(district_staff, code)
    assert refused.status_code == 200
    assert refused.context["backup_form"].errors["backup_code"] == ["备用码不正确或已被使用。"]
    assert client.get("/units/").status_code == 302  # still not in
    failure = AuditEvent.objects.get(action="auth.2fa_failed", actor=district_staff)
    assert failure.detail["step"] == "backup_code"


def test_using_a_backup_code_is_audited_without_the_code(district_staff: User) -> None:
    confirmed_device(district_staff)
    code = backup_codes_issue(user=district_staff)[0]
    sign_in_with_backup_code(district_staff, code)
    event = AuditEvent.objects.get(action="otp.backup_code_used")
    assert event.actor == district_staff
    assert event.detail == {"remaining": 9}
    assert not AuditEvent.objects.filter(detail__icontains=code).exists()


def test_the_user_is_told_a_backup_code_was_used_and_how_many_remain(
    district_staff: User,
) -> None:
    confirmed_device(district_staff)
    code = backup_codes_issue(user=district_staff)[0]
    sign_in_with_backup_code(district_staff, code)
    notification = Notification.objects.get(user=district_staff)
    assert "有人使用备用码登录了您的账号，还剩 9 个备用码。" in notification.message
    assert notification.link == CODES


def test_when_few_codes_remain_the_notification_suggests_a_new_set(district_staff: User) -> None:
    confirmed_device(district_staff)
    codes = backup_codes_issue(user=district_staff)
    StaticToken.objects.filter(token__in=codes[:6]).delete()  # six used already
    sign_in_with_backup_code(district_staff, codes[6])
    notification = Notification.objects.get(user=district_staff)
    assert "仅剩 3 个备用码，请在备用码页面重新生成一组" in notification.message


def test_wrong_backup_codes_count_towards_the_lockout(district_staff: User) -> None:
    device = confirmed_device(district_staff)
    client = password_login(district_staff)
    for _ in range(5):
        client.post(VERIFY, {"backup_code": "wrongone"})
    device.throttle_reset()
    locked = client.post(VERIFY, {"token": current_code(device)})
    assert locked.status_code == 429
    assert client.get("/").status_code == 302


def test_a_locked_verify_step_refuses_even_a_good_backup_code(district_staff: User) -> None:
    device = confirmed_device(district_staff)
    code = backup_codes_issue(user=district_staff)[0]
    client = password_login(district_staff)
    for _ in range(5):
        client.post(VERIFY, {"token": wrong_code(device)})
    locked = client.post(VERIFY, {"backup_code": code})
    assert locked.status_code == 429
    assert StaticToken.objects.filter(token=code).exists()  # not spent on a refused try


def test_regenerating_needs_the_confirmation_box(district_staff: User) -> None:
    confirmed_device(district_staff)
    codes = backup_codes_issue(user=district_staff)
    response = verified_client(district_staff).post(REGENERATE, {})
    assert response.status_code == 200
    assert response.context["form"].errors["confirm"]
    assert set(
        StaticToken.objects.filter(device__user=district_staff).values_list("token", flat=True)
    ) == set(codes)


def test_regenerating_shows_new_codes_and_invalidates_the_old(district_staff: User) -> None:
    confirmed_device(district_staff)
    old = backup_codes_issue(user=district_staff)
    client = verified_client(district_staff)
    response = client.post(REGENERATE, {"confirm": "on", "next": "/units/"})
    assert response.status_code == 302
    new = client.get(response["Location"]).context["codes"]
    assert len(new) == 10
    assert not set(new) & set(old)
    assert AuditEvent.objects.filter(
        action="otp.backup_codes_regenerated", actor=district_staff
    ).exists()

    _client, refused = sign_in_with_backup_code(district_staff, old[0])
    assert refused.status_code == 200
    _client, accepted = sign_in_with_backup_code(district_staff, new[0])
    assert accepted.status_code == 302


def test_a_password_alone_cannot_see_or_replace_backup_codes(district_staff: User) -> None:
    confirmed_device(district_staff)
    codes = backup_codes_issue(user=district_staff)
    client = password_login(district_staff)
    assert client.get(CODES)["Location"].startswith(VERIFY)
    assert client.post(REGENERATE, {"confirm": "on"})["Location"].startswith(VERIFY)
    assert client.post(DOWNLOAD, {"code": codes})["Location"].startswith(VERIFY)
    assert StaticToken.objects.filter(token=codes[0]).exists()


def test_with_the_setting_off_an_operator_still_needs_the_second_factor_here(
    settings: Any, operator: User
) -> None:
    settings.TWO_FACTOR_REQUIRED = False
    confirmed_device(operator)
    assert password_login(operator).get(CODES)["Location"].startswith(VERIFY)


def test_the_menus_two_factor_entry_leads_a_verified_user_to_the_backup_codes(
    district_staff: User,
) -> None:
    confirmed_device(district_staff)
    response = verified_client(district_staff).get(SETUP)
    assert response.status_code == 302
    assert response["Location"] == CODES


def test_without_an_authenticator_app_the_backup_codes_page_sends_to_set_up(
    district_staff: User,
) -> None:
    response = client_for(district_staff).get(CODES)
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)


def test_resetting_two_factor_in_the_admin_removes_the_backup_codes(
    secadmin: User, district_staff: User, settings: Any
) -> None:
    settings.TWO_FACTOR_REQUIRED = False  # the security administrator's own second factor aside
    device = confirmed_device(district_staff)
    backup_codes_issue(user=district_staff)
    delete = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert client_for(secadmin).post(delete, {"post": "yes"}).status_code == 302
    assert not StaticDevice.objects.filter(user=district_staff).exists()
    assert not StaticToken.objects.filter(device__user=district_staff).exists()


def test_removing_the_backup_codes_in_a_reset_is_audited(
    secadmin: User, district_staff: User, settings: Any
) -> None:
    settings.TWO_FACTOR_REQUIRED = False
    device = confirmed_device(district_staff)
    backup_codes_issue(user=district_staff)
    delete = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    client_for(secadmin).post(delete, {"post": "yes"})
    removed = AuditEvent.objects.filter(
        action="otp.device_deleted", detail__kind="otp_static.staticdevice"
    ).get()
    assert removed.actor == secadmin


def test_a_new_set_up_after_a_reset_issues_new_codes(district_staff: User) -> None:
    confirmed_device(district_staff)
    old = backup_codes_issue(user=district_staff)
    TOTPDevice.objects.filter(user=district_staff).delete()
    _client, new = set_up_authenticator(district_staff)
    assert len(new) == 10
    assert not set(new) & set(old)
