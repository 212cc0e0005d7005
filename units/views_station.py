"""Staff verify a unit's 12315 service station from the staff unit page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from lyushunkou.models import Role
from lyushunkou.roles import AuthenticatedRequest, role_required
from units.access import unit_for_user
from units.services_station import station_verify


class VerifyStationForm(forms.Form):
    note = forms.CharField(label=_("what you checked"), max_length=500)


@role_required(Role.STAFF)
@require_POST
def station_verify_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    unit = unit_for_user(request.user, pk, write=True)
    form = VerifyStationForm(request.POST)
    if form.is_valid():
        try:
            station_verify(unit=unit, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, gettext("The 12315 service station is verified."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
    return redirect("unit-detail", pk=unit.pk)
