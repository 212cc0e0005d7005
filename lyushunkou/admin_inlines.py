"""Tabular inlines whose inputs have accessible names.

Django's tabular inline names its columns in the table head and leaves each row's inputs without a
label, so a screen reader announces "edit text" for every cell (axe-core: ``label`` and
``select-name``, critical). Each widget gets the column's name as its ``aria-label``, the
"delete" box included.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import admin
from django.db.models import Field, Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _label(widget: forms.Widget, name: Any) -> None:
    inner = getattr(widget, "widget", None)  # the admin's RelatedFieldWidgetWrapper
    (inner if isinstance(inner, forms.Widget) else widget).attrs.setdefault("aria-label", name)


M = TypeVar("M", bound=Model)
P = TypeVar("P", bound=Model)


class LabelledTabularInline(admin.TabularInline[M, P], Generic[M, P]):
    def formfield_for_dbfield(
        self, db_field: Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            _label(field.widget, field.label or db_field.verbose_name)
        return field

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)

        class Labelled(formset):  # type: ignore[misc,valid-type]
            def add_fields(self, form: forms.BaseForm, index: int | None) -> None:
                super().add_fields(form, index)
                if "DELETE" in form.fields:
                    _label(form.fields["DELETE"].widget, _("Delete"))

        return Labelled
