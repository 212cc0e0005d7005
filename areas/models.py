"""Demonstration areas (放心消费示范区, issue 21): the rights-protection network and the area
standard.

- ``Community``: the communities and villages (社区/村) of each street, loaded from an import file;
  the denominator of the network's coverage.
- ``NetworkPoint``: a point of the consumer rights-protection network (消费维权联络站/点, a unit's
  12315 service station, a consumer-association office) in a community.
- ``AreaCriterion``: the area standard as data (its items, the rule that checks each, the rule's
  parameters), like the demonstration-unit standard (``units.models_standard``).
- ``AreaConfirmation``: staff's confirmation, with an evidence file, of an item of a street (or of
  the district) for a year.
- ``AreaActivity``: the logged publicity activities, rectification campaigns and consumer-law
  education the standard's items count.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from lyushunkou.models import Jurisdiction
from units.models import Unit

FIRST_YEAR = 2024  # the first year the portal keeps the area standard's records for

# The labels migration 0002 seeds, marked here so that the message catalogue keeps them.
SEEDED_LABELS = (
    gettext_noop("A joint conference system for consumer rights led by the government"),
    gettext_noop(
        "A leadership organisation, an implementation plan and a division of responsibilities"
    ),
    gettext_noop("Publicity and thematic activities"),
    gettext_noop(
        "A safety management responsibility system and an emergency plan for public-safety "
        "incidents"
    ),
    gettext_noop("Special rectification of outstanding problems"),
    gettext_noop("Investigation and early warning of regional consumption risks"),
    gettext_noop("Consumer-rights organisations that are sound and staffed"),
    gettext_noop("Publicity and education on consumer law"),
    gettext_noop("The rights-protection network fully covered"),
    gettext_noop("Complaint channels open"),
    gettext_noop("Targets met for the year"),
)


class Verdict(models.TextChoices):
    """A place's verdict against the area standard for a year."""

    MET = "met", _("Meets the standard")
    NOT_MET = "not_met", _("Does not meet the standard")
    INCOMPLETE = "incomplete", _("Materials incomplete")


class Community(models.Model):
    """A community or village (社区/村) of a street, as the district's list names it."""

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[
            RegexValidator(
                r"^[0-9A-Za-z-]{1,20}$",
                _("The code has up to 20 letters, digits or hyphens, e.g. 210212001001."),
            )
        ],
        help_text=_("The statistical division code of the community or village."),
    )
    name = models.CharField(_("name"), max_length=60)
    street = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("street")
    )
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("community or village")
        verbose_name_plural = _("communities and villages")
        ordering = ["street__sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["street", "name"], name="community_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class NetworkPoint(models.Model):
    """A point of the consumer rights-protection network, in a community."""

    class Kind(models.TextChoices):
        LIAISON = "liaison", _("Consumer-rights liaison station or point")
        STATION = "station", _("12315 service station of a unit")
        ASSOCIATION = "association", _("Consumer association office")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="points", verbose_name=_("community")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
        help_text=_("For a unit's 12315 service station: the unit it belongs to."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    # Personal data: shown to staff, masked on public pages (DESIGN.md §4).
    contact_person = models.CharField(_("contact person"), max_length=50)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    opening_hours = models.CharField(_("opening hours"), max_length=100)
    # WGS 84, as the leaders' big screen draws the streets; both or neither.
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("rights-protection network point")
        verbose_name_plural = _("rights-protection network points")
        ordering = ["community__street__sort_order", "community__code", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="network_point_both_coordinates",
            ),
        ]
        indexes = [models.Index(fields=["community", "active"])]

    def __str__(self) -> str:
        return self.name


class AreaCriterion(models.Model):
    """An item of the demonstration-area standard: the rule that checks it and its parameters
    (thresholds, minimum counts), editable without a deployment."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    # An English msgid for the seeded items, shown translated; an administrator may type any
    # label, which is shown as typed.
    label = models.CharField(_("label"), max_length=200)
    rule = models.CharField(_("rule"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("demonstration-area criterion")
        verbose_name_plural = _("demonstration-area criteria")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        return gettext(self.label)


class AreaConfirmation(models.Model):
    """Staff's record of an item of a street (or of the district) for a year: in place or not,
    the evidence file, and who confirmed it when."""

    place = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("jurisdiction")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    criterion = models.ForeignKey(
        AreaCriterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    in_place = models.BooleanField(_("in place"), default=False)
    note = models.TextField(_("evidence"), max_length=2000, blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to="areas/evidence/%Y/", blank=True)
    evidence_type = models.CharField(max_length=40, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("demonstration-area item record")
        verbose_name_plural = _("demonstration-area item records")
        ordering = ["place", "year", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "year", "criterion"], name="area_confirmation_once"
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(in_place=True),
                name="area_confirmation_only_in_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place} · {self.year} · {self.criterion}"


class AreaActivity(models.Model):
    """A logged activity of a street (or of the district): publicity, a rectification campaign
    with its findings, or consumer-law education."""

    class Kind(models.TextChoices):
        PUBLICITY = "publicity", _("Publicity or thematic activity")
        CAMPAIGN = "campaign", _("Special rectification campaign")
        LEGAL_EDUCATION = "legal_education", _("Consumer-law publicity and education")

    place = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("jurisdiction")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    venue = models.CharField(_("place"), max_length=200)
    reach = models.PositiveIntegerField(
        _("reach"), help_text=_("People reached: participants, visitors or copies handed out.")
    )
    findings = models.TextField(
        _("findings"),
        max_length=2000,
        blank=True,
        help_text=_("For a campaign: the problems found and what was done about them."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("demonstration-area activity")
        verbose_name_plural = _("demonstration-area activities")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["place", "kind", "held_on"])]

    def __str__(self) -> str:
        return self.title


from areas.models_assessment import (  # noqa: E402, F401  (the year-end workflow's models)
    AreaAssessment,
    AreaVerdict,
    AssessmentItemReview,
)
