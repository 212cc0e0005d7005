"""Forms of the core app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError

from lyushunkou import audit
from lyushunkou.models import User


class PortalPasswordChangeForm(PasswordChangeForm):
    """Changing one's own password also satisfies an administrator's "must change" flag."""

    user: User

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit=False)
        user.must_change_password = False
        if commit:
            user.save()
            audit.record("auth.password_changed", actor=user)
        return user


def add_service_error(
    form: forms.Form, error: ValidationError, rename: dict[str, str] | None = None
) -> None:
    """Show a service's ValidationError on the form: on the field it names when the form has it
    (``rename`` maps a service's field name to the form's), else above the form. Every app's
    views use this one, so a refusal reads the same everywhere."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            name = (rename or {}).get(field, field)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
