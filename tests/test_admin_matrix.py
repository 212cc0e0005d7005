"""The admin's access matrix: every admin page and action, for each administrator and the rest.

``tests/test_access_matrix.py`` leaves ``admin/`` out; this is its admin half. Each registered
model has a row saying what each of the three administrators may do with it (v view, a add,
c change, d delete); each custom admin URL has its own row; each admin action is listed per role.
A new ModelAdmin, admin URL or action that is not here fails the build, so 三员分立 cannot erode
by accident.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from lyushunkou import audit
from lyushunkou.models import User
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

ADMINS = ("sysadmin", "secadmin", "auditor")
OUTSIDERS = ("anonymous", "district_staff")  # sent to the admin's login page
BEAT = "vacd"

PERMISSIONS: dict[str, dict[str, str]] = {
    "auth.group": {},  # groups are not used: roles decide (lyushunkou.backends)
    "lyushunkou.user": {"sysadmin": "vac", "secadmin": "vc"},
    "lyushunkou.jurisdiction": {"sysadmin": "vac"},
    "lyushunkou.calendaroverride": {"sysadmin": "vacd"},
    "lyushunkou.calendaryear": {"sysadmin": "vacd"},
    "lyushunkou.auditevent": {"auditor": "v"},
    "lyushunkou.auditarchive": {"auditor": "v"},
    "django_celery_beat.periodictask": {"sysadmin": BEAT},
    "django_celery_beat.clockedschedule": {"sysadmin": BEAT},
    "django_celery_beat.crontabschedule": {"sysadmin": BEAT},
    "django_celery_beat.solarschedule": {"sysadmin": BEAT},
    "django_celery_beat.intervalschedule": {"sysadmin": BEAT},
    "django_celery_results.taskresult": {"sysadmin": "v"},
    "django_celery_results.groupresult": {"sysadmin": "v"},
    "axes.accessattempt": {"secadmin": "vd"},
    "axes.accesslog": {"secadmin": "v"},
    "axes.accessfailurelog": {"secadmin": "v"},
    "otp_totp.totpdevice": {"secadmin": "vd"},
    "otp_static.staticdevice": {"secadmin": "vd"},
    "units.demonstrationblock": {"sysadmin": "vacd"},
    "units.demonstrationindustry": {"sysadmin": "vacd"},
    "api.apiclient": {"secadmin": "vac"},
    "api.apitoken": {"secadmin": "vac"},  # revoked, never deleted: the audit log names them
    "scoring.report": {},
    # Drafts only are deleted (scoring.grading.admin); the matrix's rubric is the active one.
    "scoring.rubric": {"sysadmin": "vac"},
    "scoring.target": {"sysadmin": "vacd"},
    "scoring.demonstrationarea": {"sysadmin": "vacd"},
    "scoring.checklistitem": {"sysadmin": "vacd"},
}

# Admin actions offered on each list, per administrator (Django's delete_selected included).
ACTIONS: dict[str, dict[str, set[str]]] = {
    "lyushunkou.auditevent": {"auditor": {"export_audit_events"}},
    "lyushunkou.auditarchive": {"auditor": {"verify_audit_archives"}},
    "lyushunkou.calendaroverride": {"sysadmin": {"delete_selected"}},
    "lyushunkou.calendaryear": {"sysadmin": {"delete_selected"}},
    "axes.accessattempt": {"secadmin": {"delete_selected", "cleanup_expired_attempts"}},
    "otp_totp.totpdevice": {"secadmin": {"delete_selected"}},
    "otp_static.staticdevice": {"secadmin": {"delete_selected"}},
    "units.demonstrationblock": {"sysadmin": {"delete_selected"}},
    "units.demonstrationindustry": {"sysadmin": {"delete_selected"}},
    "api.apitoken": {"secadmin": {"revoke_tokens"}},
    "scoring.rubric": {"sysadmin": {"copy_as_new_draft", "activate"}},
    "scoring.target": {"sysadmin": {"delete_selected"}},
    "scoring.demonstrationarea": {"sysadmin": {"delete_selected"}},
    "scoring.checklistitem": {"sysadmin": {"delete_selected"}},
    "django_celery_beat.periodictask": {
        "sysadmin": {
            "delete_selected",
            "enable_tasks",
            "disable_tasks",
            "toggle_tasks",
            "run_tasks",
        }
    },
    **{
        f"django_celery_beat.{name}": {"sysadmin": {"delete_selected"}}
        for name in (
            "clockedschedule",
            "crontabschedule",
            "solarschedule",
            "intervalschedule",
        )
    },
}

MISSING = "999999"  # an id no object has


def _custom_rows(world: dict[str, Any]) -> dict[str, tuple[dict[str, Any], dict[str, int]]]:
    """Custom admin URLs: (kwargs, status per administrator)."""
    staff_user = world["district_staff"]
    return {
        # Typing someone's password is gone: the page sends those allowed to the one-time link.
        "auth_user_password_change": (
            {"id": staff_user.pk},
            {"sysadmin": 403, "secadmin": 302, "auditor": 403},
        ),
        "lyushunkou_user_password_link": (
            {"id": staff_user.pk},
            {"sysadmin": 403, "secadmin": 200, "auditor": 403},
        ),
        # The streets' GeoJSON outlines for the big screen: whoever may change jurisdictions.
        "lyushunkou_jurisdiction_boundaries": (
            {},
            {"sysadmin": 200, "secadmin": 403, "auditor": 403},
        ),
        "lyushunkou_auditarchive_download": (
            {"pk": MISSING},
            {"sysadmin": 403, "secadmin": 403, "auditor": 404},
        ),
        # A TOTP secret is never shown again, to anyone (OTP_ADMIN_HIDE_SENSITIVE_DATA).
        "otp_totp_totpdevice_config": (
            {"pk": world["device"].pk},
            {"sysadmin": 403, "secadmin": 403, "auditor": 403},
        ),
        "otp_totp_totpdevice_qrcode": (
            {"pk": world["device"].pk},
            {"sysadmin": 403, "secadmin": 403, "auditor": 403},
        ),
    }


CUSTOM_URLS = (
    "auth_user_password_change",
    "lyushunkou_user_password_link",
    "lyushunkou_jurisdiction_boundaries",
    "lyushunkou_auditarchive_download",
    "otp_totp_totpdevice_config",
    "otp_totp_totpdevice_qrcode",
)
SITE_PAGES = ("index", "password_change", "password_change_done", "jsi18n")
SITE_EXCLUDED = {
    "login": "the admin's login page: public by design",
    "logout": "logging out: POST only, ends whatever session there is",
    "autocomplete": "answers only for a field of a model the user may see; Django checks it",
    "view_on_site": "a redirect to a portal page, which has its own access checks",
    "app_list": "an index of one app's models, filtered by the same permissions",
}


def _standard(label: str, kind: str) -> str:
    app_label, model = label.split(".")
    return f"{app_label}_{model}_{kind}"


def _object_id(model: Any, world: dict[str, Any]) -> str:
    if model is User:
        return str(world["district_staff"].pk)
    first = model._default_manager.order_by("pk").first()
    return str(first.pk) if first is not None else MISSING


def _expected(kind: str, perms: str, exists: bool) -> int:
    may_see = "v" in perms or "c" in perms
    if kind == "changelist":
        return 200 if may_see else 403
    if kind == "add":
        return 200 if "a" in perms else 403
    if kind == "change":
        return (200 if exists else 302) if may_see else 403
    if kind == "delete":
        return (200 if exists else 302) if "d" in perms else 403
    assert kind == "history"
    if not exists:
        return 302  # Django redirects for a missing object before checking permissions
    return 200 if may_see else 403


@pytest.fixture
def world(district_staff: User, sysadmin: User, secadmin: User, auditor: User) -> dict[str, Any]:
    audit.record("test.event", actor=district_staff)
    device = TOTPDevice.objects.create(user=district_staff, name="phone", confirmed=True)
    return {"district_staff": district_staff, "device": device}


def test_every_admin_model_url_and_page_is_in_the_matrix() -> None:
    problems = []
    registered = {
        model._meta.label_lower: model_admin for model, model_admin in admin.site._registry.items()
    }
    for label in sorted(set(registered) - set(PERMISSIONS)):
        problems.append(f"add {label} to PERMISSIONS")
    for label in sorted(set(PERMISSIONS) - set(registered)):
        problems.append(f"{label} is no longer in the admin: remove it")
    customs = set(CUSTOM_URLS)
    standard = {"changelist", "add", "history", "delete", "change"}
    for label, model_admin in registered.items():
        for pattern in model_admin.get_urls():
            name = getattr(pattern, "name", None)
            if name is None:
                continue  # Django's catch-all redirect for old URLs
            if name not in {_standard(label, kind) for kind in standard} | customs:
                problems.append(f"add the admin URL {name} to the matrix")
    for site_pattern in admin.site.get_urls():
        name = getattr(site_pattern, "name", None)
        if name and name not in SITE_PAGES and name not in SITE_EXCLUDED:
            problems.append(f"add the admin page {name} to the matrix")
    assert problems == [], "\n".join(problems)


@pytest.mark.slow
def test_every_admin_page_answers_each_role_as_expected(
    request: pytest.FixtureRequest, world: dict[str, Any]
) -> None:
    clients = {name: client_for(request.getfixturevalue(name)) for name in ADMINS}
    outsiders = {"anonymous": Client(), "district_staff": client_for(world["district_staff"])}
    login = reverse("admin:login")
    mismatches = []

    def check(url: str, label: str, expected: dict[str, int]) -> None:
        for persona, client in clients.items():
            status = client.get(url).status_code
            if status != expected[persona]:
                mismatches.append(f"{label} {persona}: got {status}, expected {expected[persona]}")
        for persona, client in outsiders.items():
            response = client.get(url)
            if response.status_code != 302 or not response["Location"].startswith(login):
                mismatches.append(f"{label} {persona}: not sent to the admin login")

    for model, _model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        object_id = _object_id(model, world)
        exists = object_id != MISSING
        for kind in ("changelist", "add", "change", "delete", "history"):
            kwargs = {"object_id": object_id} if kind in ("change", "delete", "history") else {}
            url = reverse(f"admin:{_standard(label, kind)}", kwargs=kwargs)
            expected = {
                role: _expected(kind, PERMISSIONS[label].get(role, ""), exists) for role in ADMINS
            }
            check(url, f"{label} {kind}", expected)
    rows = _custom_rows(world)
    assert set(rows) == set(CUSTOM_URLS)
    for name, (kwargs, expected) in rows.items():
        check(reverse(f"admin:{name}", kwargs=kwargs), name, expected)
    for name in SITE_PAGES:
        check(reverse(f"admin:{name}"), name, dict.fromkeys(ADMINS, 200))
    assert mismatches == [], "\n".join(mismatches)


@pytest.mark.parametrize("role", ADMINS)
def test_each_administrator_is_offered_exactly_their_admin_actions(
    request: pytest.FixtureRequest, role: str
) -> None:
    user = request.getfixturevalue(role)
    http = RequestFactory().get("/admin/")
    http.user = user
    offered = {}
    for model, model_admin in admin.site._registry.items():
        # Actions run only from a list the user may open.
        actions = set(model_admin.get_actions(http))
        if actions and model_admin.has_view_or_change_permission(http):
            offered[model._meta.label_lower] = actions
    registered = {model._meta.label_lower for model in admin.site._registry}
    expected = {
        label: by_role[role]
        for label, by_role in ACTIONS.items()
        if role in by_role and label in registered
    }
    assert offered == expected
