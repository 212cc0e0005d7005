"""Lists as of an instant: the records behind a dashboard figure (issue 14 item 1).

A figure is counted at an instant (``TargetResult.evaluated_at``); its list links with
``?recorded_to=<that instant>`` so it shows the records recorded at or before it — the very ones
the figure counted — and says how many matching records have been recorded since
(``arrived_since``), so that numerator and list agree while the data keeps arriving.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PARAM = "recorded_to"


def recorded_to_filter() -> Any:
    """The filter a list adds as ``recorded_to``: ``created_at`` at or before the instant."""
    return django_filters.IsoDateTimeFilter(
        label=_("Recorded by"),
        field_name="created_at",
        lookup_expr="lte",
        widget=forms.HiddenInput,
    )


@dataclass(frozen=True)
class AsOf:
    at: dt.datetime
    arrived_since: int


def as_of_note(filterset: Any) -> AsOf | None:
    """When the list is shown as of an instant: that instant and how many records matching the
    other filters were recorded after it (one count query); None otherwise."""
    if not filterset.is_bound or not filterset.form.is_valid():
        return None
    at = filterset.form.cleaned_data.get(PARAM)
    if not isinstance(at, dt.datetime):
        return None
    data = filterset.data.copy()
    data.pop(PARAM, None)
    rest = type(filterset)(data, queryset=filterset.queryset, request=filterset.request)
    since = rest.qs.filter(created_at__gt=at).count()
    return AsOf(timezone.localtime(at), since)
