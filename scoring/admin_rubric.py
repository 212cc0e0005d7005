"""Rubric versions in the admin site: the system administrator copies the active rubric as a
draft, edits the draft's settings and indicators, and activates it. Only drafts are editable;
activation validates the draft and shows every problem as an error. Scores are never edited here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lyushunkou.models import User
from scoring import rubric as rubrics
from scoring.models import Indicator, Rubric


def _actor(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) else None


class IndicatorInline(admin.TabularInline[Indicator, Rubric]):
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

    def _editable(self, obj: Rubric | None) -> bool:
        return obj is None or obj.status == Rubric.Status.DRAFT

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
) -> None:
    chosen = list(queryset)
    if len(chosen) != 1:
        modeladmin.message_user(request, _("Choose exactly one draft to activate."), messages.ERROR)
        return
    try:
        rubric = rubrics.activate(chosen[0], _actor(request))
    except ValidationError as error:
        for message in error.messages:
            modeladmin.message_user(request, message, messages.ERROR)
        modeladmin.message_user(
            request,
            _("Rubric v%(version)s was not activated.") % {"version": chosen[0].version},
            messages.ERROR,
        )
        return
    modeladmin.message_user(
        request,
        _("Rubric v%(version)s is now active; new scoring runs use it.")
        % {"version": rubric.version},
        messages.SUCCESS,
    )


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
        "problems",
        "created_by",
        "created_at",
        "activated_by",
        "activated_at",
    ]

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
