"""What the public (no login) may read: the plaque page's commitments and station, and the
directory of demonstration units. Nothing here exposes personal data: no legal representative,
no operator contact phone."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lyushunkou.access import within
from lyushunkou.models import Jurisdiction
from units.models import Commitment, DemonstrationStatus, Industry, ServiceStation, Unit

DIRECTORY_PAGE_SIZE = 30


def plaque_commitments(unit: Unit) -> list[Commitment]:
    """The commitments in force, in the order of Commitment.Kind."""
    order = {kind: index for index, kind in enumerate(Commitment.Kind.values)}
    commitments = list(unit.commitments.filter(active=True))
    return sorted(commitments, key=lambda c: order.get(c.kind, len(order)))


def plaque_station(unit: Unit) -> ServiceStation | None:
    """The unit's active 12315 station (loaded with the unit by public_unit), or None."""
    try:
        station: ServiceStation = unit.station
    except ServiceStation.DoesNotExist:
        return None
    return station if station.active else None


def directory_units(*, today: dt.date | None = None) -> QuerySet[Unit]:
    """Demonstration units valid today: approved or under warning, certificate not expired.

    Matches Unit.plaque_status() being "valid" or "warning", so the directory and the plaque
    page never disagree.
    """
    today = today or timezone.localdate()
    return (
        Unit.objects.select_related("jurisdiction")
        .filter(
            demonstration_status__in=[DemonstrationStatus.APPROVED, DemonstrationStatus.WARNING],
            certified_until__gte=today,
            verified_at__isnull=False,  # never an unverified unit, whatever its status says
        )
        .order_by("name", "pk")
    )


def directory_jurisdictions() -> QuerySet[Jurisdiction]:
    # The district itself is the empty choice ("all"): list its streets, zone and parks.
    return (
        Jurisdiction.objects.filter(active=True)
        .exclude(kind=Jurisdiction.Kind.DISTRICT)
        .order_by("sort_order", "code")
    )


class DirectoryFilter(django_filters.FilterSet):
    """The directory's search form; every filter is a GET parameter, so results can be linked."""

    q = django_filters.CharFilter(
        label=_("Name, street or industry"),
        method="filter_name",
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
    jurisdiction = django_filters.ModelChoiceFilter(
        label=_("Jurisdiction"),
        queryset=directory_jurisdictions(),
        to_field_name="code",
        empty_label=_("All jurisdictions"),
        method="filter_jurisdiction",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    industry = django_filters.ChoiceFilter(
        label=_("Industry"),
        choices=Industry.choices,
        empty_label=_("All industries"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    class Meta:
        model = Unit
        fields: list[str] = []

    def filter_name(self, queryset: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        """The home page's one search box: a word of the name, the street or the industry."""
        value = value.strip()
        if not value:
            return queryset
        industries = [code for code, label in Industry.choices if value in str(label)]
        return queryset.filter(
            Q(name__icontains=value)
            | Q(jurisdiction__name__icontains=value)
            | Q(industry__in=industries)
        )

    def filter_jurisdiction(
        self, queryset: QuerySet[Unit], name: str, value: Jurisdiction | None
    ) -> QuerySet[Unit]:
        # A zone's parks are listed under the zone too.
        return queryset.filter(within(value))
