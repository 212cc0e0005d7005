"""Rubric versions in the admin site: the system administrator copies the active rubric as a
draft, edits the draft's settings and indicators, and activates it. Only drafts are editable;
activation validates the draft and shows every problem as an error. Scores are never edited here.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lyushunkou.admin_inlines import LabelledTabularInline
from lyushunkou.models import User
from scoring import periods
from scoring.grading import calibration
from scoring.grading import rubric as rubrics
from scoring.grading.rules import RECORD_KINDS
from scoring.models import Grade, Indicator, Rubric


def as_data(value: Any) -> SafeString:
    """Stored configuration as it is stored: marked ``zxx`` (no linguistic content), not text."""
    return format_html('<code lang="zxx">{}</code>', json.dumps(value, ensure_ascii=False))


def _actor(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) else None


class IndicatorInline(LabelledTabularInline[Indicator, Rubric]):
    model = Indicator
    extra = 0
    fields = [
        "order",
        "code",
        "label",
        "guarantee",
        "kind",
        "record_kind",
        "params",
        "points",
        "limit",
        "window_months",
    ]
    ordering = ["order", "id"]
    # A version in force is read, not edited: its record kinds by name, its parameters as data.
    readonly_fields = ["record_kind_name", "params_data"]

    def _editable(self, obj: Rubric | None) -> bool:
        return obj is None or obj.status == Rubric.Status.DRAFT

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        fields: list[str] = list(self.fields or [])  # type: ignore[arg-type]
        if self._editable(obj):
            return fields
        shown = {"record_kind": "record_kind_name", "params": "params_data"}
        return [shown.get(name, name) for name in fields]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if self._editable(obj) else list(self.readonly_fields)

    @admin.display(description=gettext_lazy("record kind"))
    def record_kind_name(self, indicator: Indicator) -> str:
        kind = RECORD_KINDS.get(indicator.record_kind)
        return str(kind.label) if kind is not None else indicator.record_kind

    @admin.display(description=gettext_lazy("parameters"))
    def params_data(self, indicator: Indicator) -> SafeString | str:
        return as_data(indicator.params) if indicator.params else "—"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.action(description=gettext_lazy("Copy as a new draft"), permissions=["add"])
def copy_as_new_draft(
    modeladmin: admin.ModelAdmin[Rubric], request: HttpRequest, queryset: QuerySet[Rubric]
) -> None:
    for rubric in queryset.order_by("version"):
        draft = rubrics.copy_as_draft(rubric, _actor(request))
        modeladmin.message_user(
            request,
            _("Rubric v%(old)s copied as draft v%(new)s.")
            % {"old": rubric.version, "new": draft.version},
            messages.SUCCESS,
        )


@admin.action(description=gettext_lazy("Activate (after validation)"), permissions=["change"])
def activate(
    modeladmin: admin.ModelAdmin[Rubric], request: HttpRequest, queryset: QuerySet[Rubric]
) -> TemplateResponse | None:
    """First a confirmation page with the what-if (the draft beside the active version on last
    month's data, the units whose grade would change); activation on "Yes, activate"."""
    chosen = list(queryset)
    if len(chosen) != 1:
        modeladmin.message_user(request, _("Choose exactly one draft to activate."), messages.ERROR)
        return None
    draft = chosen[0]
    errors = rubrics.validate(draft) if draft.status == Rubric.Status.DRAFT else []
    if (
        request.POST.get("confirmed") != "yes"
        and draft.status == Rubric.Status.DRAFT
        and not errors
    ):
        period = periods.current().previous()
        report = calibration.build(period, draft)
        labels = dict(Grade.choices)
        compared = report.compared or {}
        return TemplateResponse(
            request,
            "admin/scoring/rubric/activate_confirmation.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": _("Activate rubric v%(version)s?") % {"version": draft.version},
                "opts": modeladmin.model._meta,
                "draft": draft,
                "report": report,
                "rows": [
                    (labels[grade], compared.get(grade, 0), n)
                    for grade, n in report.overall.items()
                ],
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )
    try:
        rubric = rubrics.activate(draft, _actor(request))
    except ValidationError as error:
        for message in error.messages:
            modeladmin.message_user(request, message, messages.ERROR)
        modeladmin.message_user(
            request,
            _("Rubric v%(version)s was not activated.") % {"version": draft.version},
            messages.ERROR,
        )
        return None
    modeladmin.message_user(
        request,
        _("Rubric v%(version)s is now active; new scoring runs use it.")
        % {"version": rubric.version},
        messages.SUCCESS,
    )
    return None


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin[Rubric]):
    list_display = ["version", "name", "status", "lookback_months", "activated_at", "created_at"]
    list_filter = ["status"]
    inlines = [IndicatorInline]
    actions = [copy_as_new_draft, activate]
    fields = [
        "version",
        "name",
        "status",
        "lookback_months",
        "unrated_without_evidence",
        "grade_bands",
        "caps",
        "notes",
        "problems",
        "created_by",
        "created_at",
        "activated_by",
        "activated_at",
    ]
    readonly_fields = [
        "version",
        "status",
        "grade_bands_text",
        "caps_text",
        "problems",
        "created_by",
        "created_at",
        "activated_by",
        "activated_at",
    ]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        fields: list[str] = list(self.fields or [])  # type: ignore[arg-type]
        if obj is None or obj.status == Rubric.Status.DRAFT:
            return fields
        # In force or retired: the bands and caps read as sentences, not as JSON.
        shown = {"grade_bands": "grade_bands_text", "caps": "caps_text"}
        return [shown.get(name, name) for name in fields]

    @admin.display(description=gettext_lazy("grade bands"))
    def grade_bands_text(self, obj: Rubric) -> SafeString | str:
        try:
            return " · ".join(f"{band['grade']} ≥ {band['min']}" for band in obj.grade_bands)
        except (KeyError, TypeError):
            return as_data(obj.grade_bands)

    @admin.display(description=gettext_lazy("worst-guarantee caps"))
    def caps_text(self, obj: Rubric) -> SafeString | str:
        try:
            return (
                "；".join(
                    _("a guarantee below %(below)s points: at most %(cap)s")
                    % {"below": cap["below"], "cap": cap["cap"]}
                    for cap in obj.caps
                )
                or "—"
            )
        except (KeyError, TypeError):
            return as_data(obj.caps)

    @admin.display(description=gettext_lazy("Validation"))
    def problems(self, obj: Rubric | None) -> SafeString | str:
        """What activation would refuse, listed on the draft's page while it is edited."""
        if obj is None or obj.pk is None:
            return "—"
        errors = rubrics.validate(obj)
        if not errors:
            return format_html(
                '<span data-testid="rubric-valid">{}</span>',
                _("No problems: this rubric may be activated."),
            )
        return format_html(
            '<ul class="errorlist" data-testid="rubric-problems">{}</ul>',
            format_html_join("", "<li>{}</li>", ((error,) for error in errors)),
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Only drafts change; active and retired versions stay as the scores computed with them.
        if obj is not None and obj.status != Rubric.Status.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.status != Rubric.Status.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # would delete versions that scores point at
        return actions

    def save_model(self, request: HttpRequest, obj: Rubric, form: Any, change: bool) -> None:
        if not change:
            last = Rubric.objects.order_by("-version").first()
            obj.version = (last.version if last else 0) + 1
            obj.status = Rubric.Status.DRAFT
            obj.created_by = _actor(request)
        super().save_model(request, obj, form, change)
