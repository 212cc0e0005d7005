"""The staff lists' folded filter panel: ``{% filter_panel filter.form label %}``.

The panel starts folded so the list begins above the fold (issue 15 item 2); the filters in force
show beside its button as chips, each a link to the same list without that one filter. The chips
are read from the bound form, so every list gets them without its view doing anything: a value
the form accepted is shown as the form understood it (a choice's label, a jurisdiction's name),
one it refused as typed (the form's error then says why, and the panel opens to show it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import formats
from django.utils.translation import gettext as _

register = template.Library()

SEPARATOR = "、"  # between the several values of one chip


@dataclass(frozen=True)
class Chip:
    label: str
    value: str
    remove_url: str  # the list without this filter
    name: str  # the query parameter, for tests and styling


def _choice_labels(field: forms.Field, raw: Iterable[str]) -> list[str]:
    labels: dict[str, str] = {}
    for value, label in getattr(field, "choices", []):
        if isinstance(label, (list, tuple)):  # an optgroup
            labels.update({str(v): str(lbl) for v, lbl in label})
        else:
            labels[str(value)] = str(label)
    return [labels.get(str(value), str(value)) for value in raw]


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return formats.date_format(value, "Y-m-d H:i")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, slice):  # django-filter's ranges
        ends = [_show(end) if end is not None else "" for end in (value.start, value.stop)]
        return " – ".join(ends)
    if isinstance(value, (list, tuple, QuerySet)):
        return SEPARATOR.join(_show(item) for item in value)
    return str(value)


def _keys(bound: forms.BoundField) -> list[str]:
    """The query parameters one field reads (a range widget reads two)."""
    widget = bound.field.widget
    name = bound.html_name
    if hasattr(widget, "suffixes"):  # django-filter's ranges: ``x_min``, ``x_after`` …
        return [widget.suffixed(name, suffix) for suffix in widget.suffixes]
    if isinstance(widget, forms.MultiWidget):
        return [name + suffix for suffix in getattr(widget, "widgets_names", [])]
    return [name]


def _value(form: forms.Form, bound: forms.BoundField, raw: list[str]) -> str:
    cleaned = getattr(form, "cleaned_data", {})
    if bound.name not in cleaned or bound.errors:
        return SEPARATOR.join(raw)  # as typed: the form's error says what is wrong with it
    value = cleaned[bound.name]
    field = bound.field
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return SEPARATOR.join(_choice_labels(field, value if isinstance(value, list) else [value]))
    return _show(value)


def filter_chips(form: forms.Form, request: HttpRequest) -> list[Chip]:
    """The filters of ``form`` that the query string sets, in the form's order."""
    chips = []
    for bound in form.visible_fields():
        keys = _keys(bound)
        raw = [v for key in keys for v in request.GET.getlist(key) if v.strip()]
        if not raw:
            continue
        rest = request.GET.copy()
        for key in [*keys, "page", "after", "before"]:  # back to the first page
            rest.pop(key, None)
        query = rest.urlencode()
        chips.append(
            Chip(
                label=str(bound.label),
                value=_value(form, bound, raw),
                remove_url=f"{request.path}?{query}" if query else request.path,
                name=bound.html_name,
            )
        )
    return chips


@register.inclusion_tag("includes/filter_panel.html", takes_context=True)
def filter_panel(context: template.Context, form: forms.Form, label: str = "") -> dict[str, Any]:
    """The folded panel of ``form``'s fields with the chips of the filters in force.

    ``label`` names the form for assistive technology ("Filter complaints"). The panel opens when
    the form has errors, so a refused value is never hidden.
    """
    request: HttpRequest = context["request"]
    if form.is_bound:
        form.is_valid()  # the chips show what the list applied; django-filter has run it already
    chips = filter_chips(form, request)
    return {
        "form": form,
        "chips": chips,
        "label": label,
        "open": bool(form.is_bound and form.errors),
        "clear_url": request.path,
        "request": request,
    }
