"""Which scope of the dashboard a user sees: the whole district or one jurisdiction, and the
jurisdictions they may choose."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _

from lyushunkou.access import deny, jurisdictions_for_user
from lyushunkou.models import Jurisdiction, User

DISTRICT = "district"


@dataclass(frozen=True)
class Scope:
    code: str  # "district" or a jurisdiction's code, as TargetResult.scope_code stores it
    jurisdiction: Jurisdiction | None  # None: the whole district

    @property
    def name(self) -> str:
        return self.jurisdiction.name if self.jurisdiction else _("Whole district")


def places_for_user(user: User) -> list[Jurisdiction]:
    """The jurisdictions (streets, zone, parks) the user may choose: all of them for leaders and
    district staff, their own (and any below it) for street-scoped staff."""
    return list(
        jurisdictions_for_user(user)
        .exclude(kind=Jurisdiction.Kind.DISTRICT)
        .order_by("sort_order", "code")
    )


def scope_for_user(user: User, code: str, places: list[Jurisdiction]) -> Scope:
    """The scope asked for, or the user's default when none is; Http404 (audited) outside the
    user's scope — the district for street-scoped staff, another street, an unknown code."""
    code = (code or "").strip()
    if not code:
        if user.is_district_wide or not places:
            code = DISTRICT
        else:
            own = next((p for p in places if p.pk == user.jurisdiction_id), places[0])
            return Scope(own.code, own)
    if code == DISTRICT and user.is_district_wide:
        return Scope(DISTRICT, None)
    place = next((p for p in places if p.code == code), None)
    if place is None:
        deny(user, model="scoring.dashboard", requested=code[:20])
        raise Http404("No such scope.")
    return Scope(place.code, place)
