"""Forms of the core app."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import PasswordChangeForm

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
