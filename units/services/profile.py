"""Units in the register and their profiles, and the record of an operator's change to a
demonstration unit's public details."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TypedDict, Unpack

from django.db import transaction
from django.utils import timezone

from lyushunkou import audit
from lyushunkou.claims import claim
from lyushunkou.credit_codes import normalize_credit_code
from lyushunkou.models import Jurisdiction, Role, User
from units.credit_codes import entity_kind_for
from units.models import DemonstrationStatus, Unit
from units.models_claims import ContactChange
from units.search import name_bigrams

UNIT_PROFILE_FIELDS = [
    "name",
    "industry",
    "address",
    "jurisdiction",
    "latitude",
    "longitude",
    "legal_representative",
    "contact_person",
    "contact_phone",
    "business_status",
]


class UnitProfile(TypedDict, total=False):
    """The profile fields of a unit (``UNIT_PROFILE_FIELDS``): a service changes those given."""

    name: str
    industry: str
    address: str
    jurisdiction: Jurisdiction
    latitude: Decimal | None
    longitude: Decimal | None
    legal_representative: str
    contact_person: str
    contact_phone: str
    business_status: str


@transaction.atomic
def unit_create(
    *,
    by: User,
    credit_code: str,
    owner: User | None = None,
    verified: bool = True,
    **profile: Unpack[UnitProfile],
) -> Unit:
    """A unit in the register. Staff's entries and imports are verified as written; a code first
    seen at self-registration waits for staff to confirm the licence (``verified=False``)."""
    given: Mapping[str, Any] = profile
    code = normalize_credit_code(credit_code)
    unit = Unit(
        credit_code=code,
        kind=entity_kind_for(code),
        owner=owner,
        **{field: given[field] for field in UNIT_PROFILE_FIELDS if field in given},
    )
    if not verified:
        unit.verified_at = None
    unit.full_clean()
    unit.save()
    audit.record("unit.created", actor=by, obj=unit, credit_code=code)
    return unit


@transaction.atomic
def unit_update_profile(
    *, unit: Unit, by: User, version: int, **profile: Unpack[UnitProfile]
) -> Unit:
    """Change the profile fields given; ``version`` is what the editor's form was based on."""
    given: Mapping[str, Any] = profile
    changes = {field: given[field] for field in UNIT_PROFILE_FIELDS if field in given}
    if by.role == Role.OPERATOR:
        changes.pop("jurisdiction", None)  # moving between streets is staff's decision
    candidate = Unit.objects.get(pk=unit.pk)
    for field, value in changes.items():
        setattr(candidate, field, value)
    candidate.full_clean()
    # An update() skips save(): the name search's pairs follow the name here.
    search: dict[str, Any] = (
        {"name_bigrams": name_bigrams(candidate.name)} if "name" in changes else {}
    )
    claim(
        Unit.objects.filter(pk=unit.pk),
        version=version,
        updated_at=timezone.now(),
        **changes,
        **search,
    )
    audit.record("unit.profile_updated", actor=by, obj=candidate, fields=sorted(changes))
    record_contact_change(unit=unit, by=by, before=unit, after=candidate, fields=PUBLIC_UNIT_FIELDS)
    unit.refresh_from_db()
    return unit


# What the public plaque page shows of a unit and its station: an operator's change to these on a
# demonstration unit is kept for staff to see (the plaque is the programme's promise).
PUBLIC_UNIT_FIELDS = ("name", "address")
PUBLIC_STATION_FIELDS = ("contact_person", "phone", "hours", "location", "active")


def record_contact_change(
    *, unit: Unit, by: User, before: Any, after: Any, fields: tuple[str, ...]
) -> ContactChange | None:
    """Keep an operator's change to a demonstration unit's public details, and audit it."""
    if by.role != Role.OPERATOR or unit.demonstration_status == DemonstrationStatus.NONE:
        return None
    changes = {
        str(type(after)._meta.get_field(name).verbose_name): [
            getattr(before, name, None) if before is not None else None,
            getattr(after, name),
        ]
        for name in fields
        if before is None or getattr(before, name) != getattr(after, name)
    }
    if not changes:
        return None
    change = ContactChange.objects.create(unit=unit, by=by, changes=changes)
    audit.record("unit.public_contact_changed", actor=by, obj=unit, changes=changes)
    return change
