"""Accounts in the admin, under separation of duties: the rules are in ``lyushunkou.accounts``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Field
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lyushunkou import accounts, audit
from lyushunkou.models import ADMIN_ROLES, Role, User


class AccountCreationForm(forms.ModelForm[User]):
    """A new account has no password: its holder sets one through a one-time link."""

    class Meta:
        model = User
        fields = ["username", "full_name", "email", "phone"]

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


class AccountChangeForm(forms.ModelForm[User]):
    """The admin picks the fields (by role); no password field: passwords come from links."""

    class Meta:
        model = User
        fields: list[str] = []


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    list_display = ["username", "full_name", "role", "jurisdiction", "is_active", "last_login"]
    list_filter = ["role", "is_active", "jurisdiction"]
    search_fields = ["username", "full_name", "email"]
    list_select_related = ["jurisdiction"]
    form = AccountChangeForm
    add_form = AccountCreationForm
    add_form_template = "admin/change_form.html"
    fieldsets = (
        (None, {"fields": ("username", "password_status")}),
        (_("Person"), {"fields": ("full_name", "email", "phone")}),
        (
            _("Role and scope"),
            {"fields": ("role", "jurisdiction", "is_active", "must_change_password")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": AccountCreationForm.Meta.fields}),)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        all_fields = {str(f) for _, options in self.fieldsets for f in options["fields"]}
        editable = accounts.editable_fields(request.user, obj)  # type: ignore[arg-type]
        return sorted(all_fields - editable)

    def formfield_for_choice_field(
        self, db_field: Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "role":
            # Administrator roles are made on the server (create_admin), never granted here.
            kwargs["choices"] = [(v, label) for v, label in Role.choices if v not in ADMIN_ROLES]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return getattr(request.user, "role", "") == Role.SYSADMIN and super().has_add_permission(
            request
        )

    @admin.display(description=_("password"))
    def password_status(self, user: User) -> str:
        state = (
            gettext("set by the user")
            if user.has_usable_password()
            else gettext("not set: waiting for the user to open a one-time link")
        )
        return format_html(
            '{} <a class="button" href="{}">{}</a>',
            state,
            reverse("admin:lyushunkou_user_password_link", args=[user.pk]),
            gettext("Issue a one-time set-password link"),
        )

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        before = accounts.snapshot(User.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        if before is None:
            audit.record("user.created", request=request, obj=obj, after=accounts.snapshot(obj))
        else:
            accounts.record_changes(user=obj, before=before, request=request)

    def response_add(
        self, request: HttpRequest, obj: User, post_url_continue: str | None = None
    ) -> HttpResponse:
        # Next step of creating an account: hand its holder the link to set a password.
        messages.success(request, gettext("The account %(name)s was created.") % {"name": obj})
        return HttpResponseRedirect(reverse("admin:lyushunkou_user_password_link", args=[obj.pk]))

    def get_urls(self) -> list[URLPattern]:
        link = path(
            "<id>/password-link/",
            self.admin_site.admin_view(self.password_link_view),
            name="lyushunkou_user_password_link",
        )
        return [link, *super().get_urls()]

    def _target(self, request: HttpRequest, id: str) -> User:
        user = self.get_object(request, unquote(id))
        if user is None:
            raise Http404
        if not accounts.may_issue_password_link(request.user, user):  # type: ignore[arg-type]
            audit.record(
                "access.denied", request=request, outcome=audit.Outcome.DENIED, path=request.path
            )
            raise PermissionDenied
        return user

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """Django's page where an administrator types someone's new password: replaced by the
        one-time link, for those allowed to issue one; refused (and audited) for the rest."""
        user = self._target(request, id)
        return HttpResponseRedirect(reverse("admin:lyushunkou_user_password_link", args=[user.pk]))

    def password_link_view(self, request: HttpRequest, id: str) -> HttpResponse:
        """GET asks to confirm (the current password stops working); POST issues the link."""
        user = self._target(request, id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": user,
            "title": gettext("One-time set-password link: %(name)s") % {"name": user},
            "has_password": user.has_usable_password(),
        }
        if request.method == "POST":
            context["link"] = accounts.password_link_issue(
                target=user,
                by=request.user,  # type: ignore[arg-type]
                request=request,
            )
            context["issued"] = True
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/lyushunkou/user/password_link.html", context)
