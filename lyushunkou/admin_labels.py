"""Chinese names in the admin for the libraries that ship none (issue 15 item 5).

django-axes and django-otp have no Simplified Chinese catalogue, their apps no verbose name (the
admin shows "Axes", "Otp_Totp") and django-otp's model names are plain strings gettext never
sees; django-celery-beat names a field and a column in plain English and describes crontabs in
the server's language. Their names are set here,
when the admin loads (lyushunkou.admin imports this module). Strings the libraries do mark for
translation but whose Chinese is missing (Django 5.2's new admin table headers, axes' field
names) are listed below with ``gettext_noop`` so ``makemessages`` keeps them in our catalogue,
which Django consults first (LOCALE_PATHS), as lyushunkou.i18n_extra does for celery results.
"""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from cron_descriptor import Options, get_description  # type: ignore[import-untyped]
from django.apps import apps
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from django_celery_beat import models as beat_models
from django_celery_beat.admin import PeriodicTaskAdmin
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

APP_NAMES = {
    "axes": _("Login protection"),
    "otp_totp": _("Authenticator apps"),
    "otp_static": _("Backup codes"),
}
MODEL_NAMES: list[tuple[Any, Any, Any]] = [
    (TOTPDevice, _("authenticator app"), _("authenticator apps")),
    (StaticDevice, _("set of backup codes"), _("sets of backup codes")),
]

# Marked for our catalogue: the libraries translate them with gettext, but ship no Chinese.
LIBRARY_STRINGS = [
    # Django 5.2's admin: the app list's table headers for screen readers.
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    # django-axes: models, fields, admin.
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Access Attempt"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("Locked Out"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Not set"),
    gettext_noop("Attempt Remaining"),
    # django-celery-beat: headings its Chinese catalogue lacks.
    gettext_noop("Schedule"),
    gettext_noop("Arguments"),
    gettext_noop("Execution Options"),
    gettext_noop("Periodic Tasks Using This Schedule"),
    gettext_noop('Cron Months (1-12) Of The Year to Run. Use "*" for "all". (Example: "1,12")'),
    gettext_noop(
        'Cron Days Of The Week to Run. Use "*" for "all", Sunday is 0 or 7, Monday is 1. '
        '(Example: "0,5")'
    ),
]
# django-otp's device fields carry no verbose names (the admin's filters read "created at").
DEVICE_FIELDS: dict[str, Any] = {
    "name": _("name"),
    "confirmed": _("confirmed"),
    "created_at": _("created at"),
    "last_used_at": _("last used at"),
}


def _when(moment: Any) -> str:
    return formats.date_format(timezone.localtime(moment), "Y-m-d H:i:s") if moment else "-"


def _attempt_str(attempt: AccessAttempt) -> str:
    return gettext("Failed logins of %(user)s, last at %(when)s") % {
        "user": attempt.username or "-",
        "when": _when(attempt.attempt_time),
    }


def _failure_str(failure: AccessFailureLog) -> str:
    return gettext("Failed login of %(user)s at %(when)s") % {
        "user": failure.username or "-",
        "when": _when(failure.attempt_time),
    }


def _log_str(log: AccessLog) -> str:
    return gettext("Login of %(user)s at %(when)s") % {
        "user": log.username or "-",
        "when": _when(log.attempt_time),
    }


def _describe_cron(expression: str) -> str:
    """A crontab in words in the interface's language (cron-descriptor follows the server's
    locale otherwise, and the server speaks English)."""
    options = Options()
    if (get_language() or "").startswith("zh"):
        options.locale_code = "zh_CN"
        options.use_24hour_time_format = True
    return str(get_description(expression, options))


def apply() -> None:
    """Name the libraries' apps, models, fields and records in the interface's language."""
    for label, name in APP_NAMES.items():
        apps.get_app_config(label).verbose_name = name
    for model, singular, plural in MODEL_NAMES:
        model._meta.verbose_name = singular
        model._meta.verbose_name_plural = plural
    # The records' titles on their admin pages ("Access Log for … @ …" in the library).
    AccessAttempt.__str__ = _attempt_str
    AccessFailureLog.__str__ = _failure_str
    AccessLog.__str__ = _log_str
    for model, _singular, _plural in MODEL_NAMES:
        for field, field_name in DEVICE_FIELDS.items():
            model._meta.get_field(field).verbose_name = field_name
    for device_admin in (TOTPDeviceAdmin, StaticDeviceAdmin):
        # An English sentence built by django-otp ("Search by user's …").
        device_admin.search_help_text = _("Search by user name or e-mail address")
    PeriodicTask._meta.get_field("task").verbose_name = _("Task name")
    CrontabSchedule.human_readable.fget.short_description = _("In words")
    beat_models.get_description = _describe_cron
    # A method without a description: the admin would title it "Crontab translation".
    PeriodicTaskAdmin.crontab_translation.short_description = _("Schedule in words")
