"""People, places, the working-day calendar and the audit trail: what every other app builds on."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Jurisdiction(models.Model):
    """The district and its streets, development zone and parks: the data scope of staff."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("District")
        STREET = "street", _("Street")
        DEVELOPMENT_ZONE = "dev_zone", _("Economic development zone")
        PARK = "park", _("Park")

    code = models.CharField(
        _("division code"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^\d{12}$", _("The division code has 12 digits."))],
        help_text=_("12-digit statistical division code, e.g. 210212001000."),
    )
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    population = models.PositiveIntegerField(
        _("resident population"),
        null=True,
        blank=True,
        help_text=_(
            "Used for per-thousand-resident rates; from the latest census. Empty means not yet "
            "entered, and such rates show as no data."
        ),
    )
    population_source = models.CharField(_("population source"), max_length=100, blank=True)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    # The street's outline for the leaders' big screen: a GeoJSON Polygon or MultiPolygon geometry
    # in WGS 84 longitude/latitude, set only by uploading the streets' file
    # (lyushunkou.boundaries); empty until then, and the screen draws no outlines.
    boundary = models.JSONField(_("boundary"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="district", parent__isnull=True)
                | (~Q(kind="district") & Q(parent__isnull=False)),
                name="jurisdiction_only_district_is_root",
            ),
            models.UniqueConstraint(fields=["parent", "name"], name="jurisdiction_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    STAFF = "staff", _("Market-supervision staff")
    LEADER = "leader", _("District leader")
    OPERATOR = "operator", _("Operator")
    SYSADMIN = "sysadmin", _("System administrator")
    SECADMIN = "secadmin", _("Security administrator")
    AUDITOR = "auditor", _("Audit administrator")


# The three administrators of 三员分立 use the admin site; everyone else uses the portal.
ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})


class User(AbstractUser):
    """A person who logs in. ``role`` decides what they do; ``jurisdiction`` narrows staff."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.OPERATOR)
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("jurisdiction scope"),
        help_text=_("Staff only: leave empty for district-wide staff."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    must_change_password = models.BooleanField(
        _("must change password at next login"),
        default=False,
        help_text=_("Until they do, the portal shows this user only the password change page."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="user_role_valid"),
            models.CheckConstraint(
                condition=Q(jurisdiction__isnull=True) | Q(role=Role.STAFF),
                name="user_only_staff_have_jurisdiction",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.jurisdiction_id and self.role != Role.STAFF:
            raise ValidationError(
                {"jurisdiction": _("Only market-supervision staff have a jurisdiction scope.")}
            )

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Only the three administrators reach the admin site; derived here so it cannot drift.
        # No account holds every permission: 三员分立 leaves no room for a superuser.
        self.is_superuser = False
        is_staff = self.role in ADMIN_ROLES
        if self.is_staff != is_staff:
            self.is_staff = is_staff
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "is_staff"}
        super().save(*args, **kwargs)

    @property
    def is_district_wide(self) -> bool:
        """Sees the whole district: leaders and staff without a jurisdiction scope."""
        return self.role == Role.LEADER or (self.role == Role.STAFF and not self.jurisdiction_id)

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class CalendarOverride(models.Model):
    """An administrator's ruling on one day; wins over chinese_calendar and the fallback rules."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(
        _("note"), max_length=200, help_text=_("E.g. the State Council notice it comes from.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {_('working day') if self.is_workday else _('holiday')}"


class CalendarYear(models.Model):
    """An administrator's confirmation that a year's official holiday arrangement is entered.

    For years chinese_calendar does not cover, deadlines are provisional until this exists.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(
        _("source"), max_length=200, help_text=_("The State Council notice of the arrangement.")
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("confirmed holiday year")
        verbose_name_plural = _("confirmed holiday years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Audit events are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only.")


class AuditEvent(models.Model):
    """Who did what to which object, when, from where, and how it ended. Append-only.

    Written only through ``lyushunkou.audit.record``. On PostgreSQL a trigger also rejects
    UPDATE and DELETE, so not even a bug in the application can rewrite history.
    """

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Success")
        FAILURE = "failure", _("Failure")
        DENIED = "denied", _("Denied")

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # The name as typed or as it was then: kept even for failed logins of unknown users.
    username = models.CharField(_("username"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        from lyushunkou.audit_labels import action_label  # finds every app's labels: after loading

        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.username} {action_label(self.action)}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only.")


class AuditArchiveQuerySet(models.QuerySet["AuditArchive"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Audit archives are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit archives are append-only.")


class AuditArchive(models.Model):
    """The manifest of one archive file of audit events past their retention.

    Written only by ``lyushunkou.audit_archive``, in the transaction that removes the archived
    events, after the file was read back and checked. Append-only like the events themselves: on
    PostgreSQL the events' trigger allows a DELETE only for events this row covers.
    """

    period_start = models.DateTimeField(_("events from"))
    period_end = models.DateTimeField(_("events before"))
    event_count = models.PositiveIntegerField(_("events"))
    first_id = models.BigIntegerField(_("first event ID"))
    last_id = models.BigIntegerField(_("last event ID"))
    # Of the file as stored (gzip-compressed JSON Lines): `sha256sum` checks a downloaded copy.
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"))
    # Relative to AUDIT_ARCHIVE_DIR, so the folder can move without rewriting manifests.
    file_name = models.CharField(_("file"), max_length=255, unique=True)
    created_at = models.DateTimeField(_("archived at"), auto_now_add=True)

    objects = AuditArchiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit archive")
        verbose_name_plural = _("audit archives")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lt=models.F("period_end")),
                name="auditarchive_period_not_empty",
            ),
            models.CheckConstraint(
                condition=Q(first_id__lte=models.F("last_id")) & Q(event_count__gt=0),
                name="auditarchive_has_events",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.event_count})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Audit archives are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit archives are append-only.")


class Notification(models.Model):
    """An in-app message to one user (overdue clocks, a dissatisfied callback, …).

    ``key`` names what it is about, so a job that runs daily notifies each thing once.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("user")
    )
    message = models.CharField(_("message"), max_length=500)
    link = models.CharField(_("link"), max_length=300, blank=True)
    key = models.CharField(max_length=120)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key")
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.message


# Background jobs and the notices of the home page live in their own modules; imported here so
# Django registers them.
from lyushunkou.models_jobs import ExportJob as ExportJob  # noqa: E402
from lyushunkou.models_jobs import ImportJob as ImportJob  # noqa: E402
from lyushunkou.models_notices import Notice, NoticeAttachment  # noqa: E402, F401
