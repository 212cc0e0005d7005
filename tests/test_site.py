"""The site shell: health probe, home page per role, admin by role, demo data."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from django.urls import reverse

from lyushunkou.demo import DEMO_ACCOUNTS
from lyushunkou.models import AuditEvent, CalendarOverride, Role, User
from tests.conftest import client_for

# Declared, not inferred: personas come from getfixturevalue, which pytest-django cannot see
# when it orders database tests before the transactional ones that flush migration data.
pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client: Client, db: None) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True


def test_healthz_says_503_when_the_broker_is_down(
    client: Client, db: None, settings: object
) -> None:
    from lyushunkou.celery import app

    original = app.conf.broker_url
    app.conf["broker_url"] = "redis://127.0.0.1:1/0"
    try:
        with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
            response = client.get("/healthz")
    finally:
        app.conf["broker_url"] = original
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["broker"]["ok"] is False
    assert body["database"]["ok"] is True


def test_the_login_page_is_in_chinese(client: Client, db: None) -> None:
    content = client.get(reverse("login")).content.decode()
    assert '<html lang="zh-hans">' in content
    assert "登录" in content


def test_the_workbench_needs_a_login_and_home_is_the_public_front_door(
    client: Client, db: None
) -> None:
    assert client.get(reverse("notification-list")).status_code == 302
    assert client.get("/").status_code == 200  # the front door (tests/test_home.py)


@pytest.mark.parametrize(
    "persona", ["district_staff", "street_staff", "leader", "operator", "sysadmin", "auditor"]
)
def test_every_role_has_a_workbench(persona: str, request: pytest.FixtureRequest) -> None:
    user: User = request.getfixturevalue(persona)
    response = client_for(user).get("/")
    assert response.status_code == 200
    assert user.get_role_display() in response.content.decode()


def test_the_workbench_links_every_page_of_the_menu_by_group(
    district_staff: User, operator: User
) -> None:
    # The cards follow the navbar: its plain links first, then one section per group, so every
    # page a role may open is one click from the workbench.
    import re

    from lyushunkou.navigation import menu_for

    page = client_for(district_staff).get("/").content.decode()
    hrefs = re.findall(r'<a class="card h-100 text-decoration-none" href="([^"]+)"', page)
    menu = menu_for(district_staff.role)
    expected = [e.url for e in menu[1:] if not e.children] + [
        child.url for e in menu if e.children for child in e.children
    ]
    assert hrefs == expected
    assert page.count('data-testid="workbench-group"') == sum(1 for e in menu if e.children) >= 3
    # Operators have no groups: their few pages are plain cards.
    operator_page = client_for(operator).get("/").content.decode()
    assert 'data-testid="workbench-group"' not in operator_page
    assert reverse("operator-score-list") in operator_page


def test_street_staff_see_their_scope_on_the_workbench(street_staff: User) -> None:
    assert "登峰街道" in client_for(street_staff).get("/").content.decode()


def test_sysadmin_reaches_the_admin_but_not_the_audit_log(sysadmin: User) -> None:
    client = client_for(sysadmin)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:lyushunkou_jurisdiction_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:django_celery_beat_periodictask_changelist")).status_code == 200
    )
    assert client.get(reverse("admin:lyushunkou_auditevent_changelist")).status_code == 403


def test_auditor_reads_the_audit_log_and_changes_nothing(auditor: User) -> None:
    client = client_for(auditor)
    assert client.get(reverse("admin:lyushunkou_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:lyushunkou_auditevent_add")).status_code == 403
    assert client.get(reverse("admin:lyushunkou_user_changelist")).status_code == 403
    assert client.get(reverse("admin:lyushunkou_jurisdiction_changelist")).status_code == 403


@pytest.mark.parametrize("persona", ["district_staff", "leader", "operator"])
def test_portal_roles_do_not_reach_the_admin(persona: str, request: pytest.FixtureRequest) -> None:
    response = client_for(request.getfixturevalue(persona)).get(reverse("admin:index"))
    assert response.status_code == 302  # the admin sends non-admin users to its login


def test_admin_home_warns_when_next_years_holidays_are_missing(sysadmin: User) -> None:
    content = client_for(sysadmin).get(reverse("admin:index")).content.decode()
    # Today is after 1 November and chinese_calendar has no data for next year (as of 1.11.0).
    from django.utils import timezone

    from lyushunkou.workdays import covered_by_package

    next_year = timezone.localdate().year + 1
    if timezone.localdate().month >= 11 and not covered_by_package(next_year):
        assert str(next_year) in content


def test_a_duplicate_calendar_override_is_refused_in_the_admin(sysadmin: User) -> None:
    CalendarOverride.objects.create(date="2027-02-20", is_workday=True, note="调休")
    response = client_for(sysadmin).post(
        reverse("admin:lyushunkou_calendaroverride_add"),
        {"date": "2027-02-20", "is_workday": "", "note": "重复"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["date"]
    assert CalendarOverride.objects.count() == 1


def test_only_staff_may_have_a_jurisdiction_scope(
    secadmin: User, leader: User, dengfeng: object
) -> None:
    response = client_for(secadmin).post(
        reverse("admin:lyushunkou_user_change", args=[leader.pk]),
        {"role": Role.LEADER, "jurisdiction": dengfeng.pk, "is_active": "on"},  # type: ignore[attr-defined]
    )
    assert response.status_code == 200
    assert "jurisdiction" in response.context["adminform"].form.errors
    leader.refresh_from_db()
    assert leader.jurisdiction is None


def test_the_system_administrator_creates_accounts_but_cannot_grant_roles(sysadmin: User) -> None:
    client = client_for(sysadmin)
    response = client.post(
        reverse("admin:lyushunkou_user_add"),
        {
            "username": "newstaff",
            "full_name": "新人员",
            "role": Role.AUDITOR,
            "password1": "Lyushunkou-2026-x",
            "password2": "Lyushunkou-2026-x",
        },
    )
    assert response.status_code == 302
    created = User.objects.get(username="newstaff")
    assert created.role == Role.OPERATOR  # the role field was not on the form
    assert not created.has_usable_password()  # no password typed by an administrator
    change = client.get(reverse("admin:lyushunkou_user_change", args=[created.pk]))
    assert "role" in change.context["adminform"].readonly_fields


def test_the_security_administrator_grants_roles_and_it_is_audited(
    secadmin: User, operator: User
) -> None:
    client = client_for(secadmin)
    response = client.post(
        reverse("admin:lyushunkou_user_change", args=[operator.pk]),
        {"username": operator.username, "role": Role.LEADER, "jurisdiction": "", "is_active": "on"},
    )
    assert response.status_code == 302
    operator.refresh_from_db()
    assert operator.role == Role.LEADER
    event = AuditEvent.objects.get(action="user.role_changed", actor=secadmin)
    assert event.detail["before"] == {"role": Role.OPERATOR}
    assert event.detail["after"] == {"role": Role.LEADER}


def test_nobody_changes_their_own_role(secadmin: User) -> None:
    page = client_for(secadmin).get(reverse("admin:lyushunkou_user_change", args=[secadmin.pk]))
    assert {"role", "is_active"} <= set(page.context["adminform"].readonly_fields)


def test_no_account_is_a_superuser(db: None) -> None:
    user = User.objects.create_superuser("root", password="Lyushunkou-2026-x")
    user.refresh_from_db()
    assert user.is_superuser is False
    assert not user.has_perm("lyushunkou.view_auditevent")


@pytest.fixture
def _accounts_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about the accounts; the apps' data seeders have tests of their own."""
    monkeypatch.setattr("lyushunkou.demo.SEEDERS", [])


@pytest.mark.usefixtures("_accounts_only")
def test_seed_demo_creates_one_account_per_role_with_random_passwords(
    db: None, tmp_path: object, settings: object, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    call_command("seed_demo")
    first = capsys.readouterr().out
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.count() == len(DEMO_ACCOUNTS)
    call_command("seed_demo")  # the second run keeps accounts and passwords
    assert capsys.readouterr().out == first
    assert User.objects.count() == len(DEMO_ACCOUNTS)
    assert AuditEvent.objects.filter(action="demo.account_seeded").count() == len(DEMO_ACCOUNTS)


@pytest.mark.usefixtures("_accounts_only")
def test_seed_demo_passwords_log_in(db: None, tmp_path: object, settings: object) -> None:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    call_command("seed_demo")
    username, password, _ = (tmp_path / "demo-logins.txt").read_text().splitlines()[0].split("\t")  # type: ignore[operator]
    assert User.objects.get(username=username).check_password(password)


def test_seed_demo_refuses_production_mode(db: None, settings: object) -> None:
    settings.PRODUCTION = True  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_an_english_browser_still_gets_chinese_by_default(client: Client) -> None:
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-hans">' in response.content.decode()
    assert response["Content-Language"] == "zh-hans"


def test_the_switcher_choice_wins(client: Client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert '<html lang="en">' in response.content.decode()
    assert "Log in" in response.content.decode()


def test_an_unknown_language_cookie_falls_back_to_chinese(client: Client) -> None:
    client.cookies["django_language"] = "xx-unknown"
    assert '<html lang="zh-hans">' in client.get(reverse("login")).content.decode()


def test_runserver_serves_the_vendored_assets_in_development() -> None:
    # make run relies on staticfiles' runserver for /static/ (no WhiteNoise in development).
    from django.contrib.staticfiles import finders
    from django.core.management import get_commands

    assert get_commands()["runserver"] == "django.contrib.staticfiles"
    assert finders.find("vendor/bootstrap/bootstrap.min.css")
    assert finders.find("vendor/htmx/htmx.min.js")


def test_password_reset_sends_a_link_that_sets_a_new_password(
    client: Client, district_staff: User, mailoutbox: list[object]
) -> None:
    district_staff.email = "alice@example.org"
    district_staff.save(update_fields=["email"])
    response = client.post(reverse("password_reset"), {"email": "alice@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body  # type: ignore[attr-defined]
    link = next(word for word in body.split() if "/accounts/reset/" in word)
    path = link[link.index("/accounts/reset/") :]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    new_password = "Lyushunkou-new-2026"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    assert User.objects.get(username="alice").check_password(new_password)


def test_password_reset_does_not_reveal_unknown_addresses(
    client: Client, db: None, mailoutbox: list[object]
) -> None:
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mailoutbox == []


def test_password_change_needs_the_old_password(district_staff: User) -> None:
    client = client_for(district_staff)
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "Abcdef-2026x", "new_password2": "Abcdef-2026x"},
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors


def test_create_admin_bootstraps_one_administrator(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("create_admin", "boss", "--role", "secadmin")
    _username, password, _ = capsys.readouterr().out.strip().split("\t")
    user = User.objects.get(username="boss")
    assert user.role == Role.SECADMIN
    assert user.is_staff
    assert user.check_password(password)
    with pytest.raises(CommandError):
        call_command("create_admin", "boss", "--role", "auditor")


def test_the_auditor_exports_the_audit_log_and_the_export_is_audited(
    auditor: User, sysadmin: User, client: Client
) -> None:
    client.post(reverse("login"), {"username": "nobody", "password": "x"})
    url = reverse("admin:lyushunkou_auditevent_changelist")
    ids = [str(pk) for pk in AuditEvent.objects.values_list("pk", flat=True)]
    response = client_for(auditor).post(
        url, {"action": "export_audit_events", "_selected_action": ids}
    )
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert body.startswith("\ufefftime,username")
    assert "auth.login_failed" in body
    assert AuditEvent.objects.filter(action="audit.exported", actor=auditor).exists()
    refused = client_for(sysadmin).post(
        url, {"action": "export_audit_events", "_selected_action": ids}
    )
    assert refused.status_code == 403
