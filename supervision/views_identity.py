"""Identity matches for staff and leaders: the list, a match with what the two units share and
why the matched one matters, staff's confirmation or clearing, and a unit's previous credit code.
Objects come through ``supervision.access`` and ``units.access``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lyushunkou.models import Role
from lyushunkou.roles import AuthenticatedRequest, role_required
from supervision import services_identity
from supervision.access import match_for_user, matches_for_user
from supervision.forms_identity import (
    ALL,
    ClearMatchForm,
    ConfirmMatchForm,
    MatchFilterForm,
    PreviousCodeForm,
)
from supervision.models_identity import IdentityMatch, MatchState
from units.access import units_for_user

PAGE_SIZE = 50
READERS = (Role.STAFF, Role.LEADER)


def _render_list(
    request: AuthenticatedRequest,
    *,
    code_form: PreviousCodeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    filter_form = MatchFilterForm(request.GET or {"state": MatchState.OPEN})
    valid = filter_form.is_valid()
    qs = matches_for_user(request.user)
    state = filter_form.cleaned_data.get("state") if valid else ""
    if not valid:
        qs = qs.none()
    elif state and state != ALL:
        qs = qs.filter(state=state)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    staff = request.user.role == Role.STAFF
    context: dict[str, Any] = {
        "filter_form": filter_form,
        "page": page,
        "matches": list(page.object_list),
        "code_form": code_form or (PreviousCodeForm(prefix="code") if staff else None),
    }
    return render(
        request, "supervision/identity_list.html", context, status=status if valid else 400
    )


@require_GET
@role_required(*READERS)
def identity_list(request: AuthenticatedRequest) -> HttpResponse:
    return _render_list(request)


@require_POST
@role_required(Role.STAFF)
def identity_previous_code(request: AuthenticatedRequest) -> HttpResponse:
    form = PreviousCodeForm(request.POST, prefix="code")
    if form.is_valid():
        unit = (
            units_for_user(request.user)
            .filter(credit_code=form.cleaned_data["credit_code"])
            .first()
        )
        if unit is None:
            form.add_error("credit_code", _("No unit with this credit code in your jurisdiction."))
        else:
            try:
                found = services_identity.previous_code_record(
                    unit=unit,
                    credit_code=form.cleaned_data["previous_credit_code"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The previous credit code was recorded; %(n)s new matches found.")
                    % {"n": len(found)},
                )
                return redirect("identity-list")
    return _render_list(request, code_form=form, status=400)


def _render_detail(
    request: AuthenticatedRequest,
    match: IdentityMatch,
    *,
    action: str = "",
    form: Form | None = None,
    status: int = 200,
) -> HttpResponse:
    can_decide = request.user.role == Role.STAFF and match.state == MatchState.OPEN
    context = {
        "match": match,
        "confirm_form": (
            form
            if action == "confirm"
            else ConfirmMatchForm(prefix="confirm")
            if can_decide
            else None
        ),
        "clear_form": (
            form if action == "clear" else ClearMatchForm(prefix="clear") if can_decide else None
        ),
    }
    return render(request, "supervision/identity_detail.html", context, status=status)


@require_GET
@role_required(*READERS)
def identity_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _render_detail(request, match_for_user(request.user, pk))


@require_POST
@role_required(Role.STAFF)
def identity_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("confirm", "clear"):
        raise Http404("No such action.")
    match = match_for_user(request.user, pk, write=True)
    form: Form = (
        ConfirmMatchForm(request.POST, prefix=action)
        if action == "confirm"
        else ClearMatchForm(request.POST, prefix=action)
    )
    if form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if action == "confirm":
                services_identity.match_confirm(match=match, by=request.user, note=note)
            else:
                services_identity.match_clear(match=match, by=request.user, note=note)
        except services_identity.StaleObject:
            messages.error(request, _("Someone else decided this match meanwhile; see below."))
            return redirect("identity-detail", pk=match.pk)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The match was confirmed: the unit cannot apply for demonstration status.")
                if action == "confirm"
                else _("The match was cleared."),
            )
            return redirect("identity-detail", pk=match.pk)
    return _render_detail(request, match, action=action, form=form, status=400)
