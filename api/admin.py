"""The security administrator's pages for the API: connected systems and their tokens (三员分立:
neither the system administrator nor the auditor sees them). A token is shown once, on the page
after it is issued; tokens are revoked, never deleted, so the audit log can always name them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from api.models import ApiClient, ApiToken, Scope
from api.services import api_client_create, api_token_issue, api_token_revoke
from lyushunkou.models import Jurisdiction, User

DEFAULT_TOKEN_DAYS = 90


class ApiClientAddForm(forms.ModelForm[ApiClient]):
    jurisdiction = forms.ModelChoiceField(
        queryset=Jurisdiction.objects.filter(active=True),
        required=False,
        label=gettext_lazy("Jurisdiction scope"),
        help_text=gettext_lazy("Empty: the whole district."),
    )

    class Meta:
        model = ApiClient
        fields = ["name", "note"]


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin[ApiClient]):
    list_display = ["name", "account", "created_at"]
    search_fields = ["name"]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = ApiClientAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: ApiClient | None = None) -> Any:
        return ["name", "account", "created_by", "created_at"] if obj is not None else []

    def get_fields(self, request: HttpRequest, obj: ApiClient | None = None) -> Any:
        if obj is None:
            return ["name", "jurisdiction", "note"]
        return ["name", "account", "note", "created_by", "created_at"]

    def save_model(self, request: HttpRequest, obj: ApiClient, form: Any, change: bool) -> None:
        if change:
            obj.save(update_fields=["note"])
            return
        assert isinstance(request.user, User)
        try:
            created = api_client_create(
                name=obj.name,
                note=obj.note,
                jurisdiction=form.cleaned_data.get("jurisdiction"),
                by=request.user,
            )
        except ValidationError as problem:  # a name taken meanwhile
            messages.error(request, " ".join(problem.messages))
            raise
        obj.__dict__.update(created.__dict__)


class ApiTokenAddForm(forms.ModelForm[ApiToken]):
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices, widget=forms.CheckboxSelectMultiple, label=gettext_lazy("scopes")
    )

    class Meta:
        model = ApiToken
        fields = ["client", "label", "scopes", "expires_at"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["prefix", "client", "label", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["client"]
    actions = ["revoke_tokens"]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = ApiTokenAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        return {"expires_at": timezone.now() + dt.timedelta(days=DEFAULT_TOKEN_DAYS)}

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> Any:
        if obj is None:
            return []
        return [
            "client",
            "label",
            "prefix",
            "scopes",
            "expires_at",
            "revoked_at",
            "last_used_at",
            "created_by",
            "created_at",
        ]

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> Any:
        if obj is None:
            return ["client", "label", "scopes", "expires_at"]
        return self.get_readonly_fields(request, obj)

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            return  # a token is never edited: revoke it and issue another
        assert isinstance(request.user, User)
        token, text = api_token_issue(
            client=obj.client,
            scopes=form.cleaned_data["scopes"],
            expires_at=obj.expires_at,
            label=obj.label,
            by=request.user,
        )
        obj.__dict__.update(token.__dict__)
        messages.warning(
            request,
            _("The token, shown this once: %(token)s — copy it now; it cannot be shown again.")
            % {"token": text},
        )

    @admin.action(description=gettext_lazy("Revoke the selected tokens"), permissions=["change"])
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        assert isinstance(request.user, User)
        revoked = sum(api_token_revoke(token=token, by=request.user) for token in queryset)
        messages.success(request, _("%(count)d tokens revoked.") % {"count": revoked})
