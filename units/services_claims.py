"""Who may act for a business (DESIGN.md §5, owners of units): registration, claims, claim codes.

A credit code is public (printed on licences and plaques), so typing one proves nothing. An
existing unit is only ever taken on by staff's decision on the business licence, or at once with a
one-time claim code staff printed on a letter to the business. A code first seen here creates an
unverified unit, out of public pages and the programme until staff confirm its licence.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lyushunkou import audit, claims
from lyushunkou.credit_codes import normalize_credit_code
from lyushunkou.models import Role, User
from lyushunkou.notifications import notify, portal_language, staff_covering
from units.models import Unit
from units.models_claims import (
    CLAIM_CODE_DAYS,
    ClaimCode,
    UnitClaim,
    claim_code_digest,
    new_claim_code,
)
from units.services import unit_create
from units.services.profile import UnitProfile
from units.uploads import check_upload

Kind = UnitClaim.Kind


def same_person(stated: str, registered: str) -> bool:
    """Names compared as people write them: spaces (half- and full-width) and case aside."""

    def compact(name: str) -> str:
        return "".join(name.split()).replace("\u3000", "").casefold()

    return bool(compact(stated)) and compact(stated) == compact(registered)


def _attach_licence(claim: UnitClaim, upload: Any) -> None:
    try:
        content_type = check_upload(upload)
    except ValidationError as error:
        raise ValidationError(
            {"licence": error.message_dict.get("file", error.messages)}
        ) from error
    claim.licence_name = str(upload.name)[:200]
    claim.licence_type = content_type
    claim.licence.save(upload.name, upload, save=False)


def _file_claim(*, unit: Unit, claimant: User, kind: str, stated: str, licence: Any) -> UnitClaim:
    claim = UnitClaim(unit=unit, claimant=claimant, kind=kind, legal_representative=stated)
    _attach_licence(claim, licence)
    try:
        claim.save()
    except Exception:
        claim.licence.delete(save=False)  # no orphan file when the row is not written
        raise
    with portal_language():
        message = gettext("%(unit)s: a claim by %(name)s awaits your review of the licence.") % {
            "unit": unit.name,
            "name": claimant.display_name,
        }
    notify(
        staff_covering(unit.jurisdiction),
        message=message,
        link=reverse("claim-list"),
        key=f"claim:{claim.pk}:filed",
    )
    return claim


def _use_code(*, unit: Unit, code: str, by: User) -> ClaimCode:
    """Claim the code: one conditional update, so a code is used once even by two at once."""
    record = ClaimCode.objects.filter(digest=claim_code_digest(code)).first()
    if record is None or record.unit_id != unit.pk:
        raise ValidationError(
            {"claim_code": _("This claim code is not valid for this credit code.")}
        )
    if record.used_at is not None:
        raise ValidationError({"claim_code": _("This claim code has already been used.")})
    now = timezone.now()
    if record.expires_at <= now:
        raise ValidationError(
            {
                "claim_code": _(
                    "This claim code expired on %(date)s; ask market-supervision staff for a "
                    "new one."
                )
                % {"date": timezone.localtime(record.expires_at).date().isoformat()}
            }
        )
    used = ClaimCode.objects.filter(pk=record.pk, used_at__isnull=True, expires_at__gt=now).update(
        used_at=now, used_by=by
    )
    if used != 1:
        raise ValidationError({"claim_code": _("This claim code has already been used.")})
    return record


def _transfer(*, unit: Unit, to: User) -> User | None:
    """Make ``to`` the unit's operator; the one it replaces (if any) is returned to be told."""
    previous = unit.owner
    claims.claim(Unit.objects.filter(pk=unit.pk), owner=to)
    unit.refresh_from_db()
    return previous if previous is not None and previous.pk != to.pk else None


@transaction.atomic
def operator_register(
    *,
    account: dict[str, Any],
    credit_code: str,
    licence: Any = None,
    claim_code: str = "",
    request: Any = None,
    **unit_profile: Unpack[UnitProfile],
) -> tuple[User, Unit | None, UnitClaim | None]:
    """Create an operator account and its tie to the unit with the given credit code.

    - a claim code staff issued for this unit: the account operates the unit at once;
    - an existing unit otherwise: the stated legal representative must match the register, and a
      claim with the licence goes to staff; the account gets no access to the unit meanwhile;
    - a new code: the unit is created, run by the account but unverified until staff confirm the
      licence.

    All or nothing: any refusal raises ``ValidationError`` naming the field, and no account,
    unit, claim or file is left behind.
    """
    code = normalize_credit_code(credit_code)
    existing = Unit.objects.select_for_update().filter(credit_code=code).first()
    stated = str(unit_profile.get("legal_representative") or "").strip()
    if (
        existing is not None
        and not claim_code
        and not same_person(stated, existing.legal_representative)
    ):
        raise ValidationError(
            {
                "legal_representative": _(
                    "The legal representative does not match the register for this credit "
                    "code. Check the name on the business licence."
                )
            }
        )
    if not claim_code and licence is None:
        raise ValidationError({"licence": _("Upload the business licence (PDF, JPG or PNG).")})

    user = User(
        username=account["username"],
        full_name=account.get("full_name", ""),
        phone=account.get("phone", ""),
        email=account.get("email", ""),
        role=Role.OPERATOR,
    )
    user.set_password(account["password"])
    user.save()
    audit.record("auth.registered", request=request, actor=user)

    if existing is not None and claim_code:
        record = _use_code(unit=existing, code=claim_code, by=user)
        previous = _transfer(unit=existing, to=user)
        claim = UnitClaim.objects.create(
            unit=existing,
            claimant=user,
            kind=Kind.CODE,
            status=UnitClaim.Status.APPROVED,
            decided_by=record.issued_by,
            decided_at=timezone.now(),
            note=gettext("Claim code issued on %(date)s")
            % {"date": timezone.localtime(record.issued_at).date().isoformat()},
        )
        audit.record(
            "unit.claimed_with_code", request=request, actor=user, obj=existing, code=record.pk
        )
        if previous is not None:
            _tell_previous_operator(existing, previous)
        return user, existing, None
    if existing is not None:
        claim = _file_claim(
            unit=existing, claimant=user, kind=Kind.EXISTING, stated=stated, licence=licence
        )
        audit.record("unit.claim_requested", request=request, actor=user, obj=existing)
        return user, None, claim
    if claim_code:
        raise ValidationError(
            {"claim_code": _("This claim code is not valid for this credit code.")}
        )
    unit = unit_create(by=user, credit_code=code, owner=user, verified=False, **unit_profile)
    claim = _file_claim(unit=unit, claimant=user, kind=Kind.NEW, stated=stated, licence=licence)
    audit.record("unit.verification_requested", request=request, actor=user, obj=unit)
    return user, unit, claim


def _tell_previous_operator(unit: Unit, previous: User) -> None:
    with portal_language():
        message = gettext(
            "%(unit)s is now operated by another account, on staff's decision. If this is wrong, "
            "contact market-supervision staff."
        ) % {"unit": unit.name}
    notify(
        [previous],
        message=message,
        key=f"unit:{unit.pk}:owner:{unit.version}",
    )


@transaction.atomic
def claim_decide(*, claim: UnitClaim, by: User, approve: bool, note: str = "") -> UnitClaim:
    """Staff's decision on the licence: an existing unit passes to the claimant; a new one is
    verified. Claimed with a conditional update, so two staff deciding at once cannot both act."""
    status = UnitClaim.Status.APPROVED if approve else UnitClaim.Status.REJECTED
    claims.claim(
        UnitClaim.objects.filter(pk=claim.pk),
        sources=[UnitClaim.Status.PENDING],
        status=status,
        note=note,
        decided_by=by,
        decided_at=timezone.now(),
    )
    claim.refresh_from_db()
    unit = claim.unit
    previous = None
    if approve and claim.kind == Kind.NEW:
        claims.claim(Unit.objects.filter(pk=unit.pk), verified_at=timezone.now())
    elif approve:
        previous = _transfer(unit=unit, to=claim.claimant)
    audit.record(
        "unit.claim_approved" if approve else "unit.claim_rejected",
        actor=by,
        obj=unit,
        claimant=claim.claimant.username,
        kind=claim.kind,
        note=note,
    )
    with portal_language():
        if approve:
            message = gettext("Your claim for %(unit)s was approved: you can now act for it.")
        else:
            message = gettext("Your claim for %(unit)s was refused: %(note)s")
        message = message % {"unit": unit.name, "note": note}
    notify(
        [claim.claimant],
        message=message,
        link=reverse("workspace"),
        key=f"claim:{claim.pk}:decided",
    )
    if previous is not None:
        _tell_previous_operator(unit, previous)
    return claim


@transaction.atomic
def claim_code_issue(
    *, unit: Unit, by: User, now: dt.datetime | None = None
) -> tuple[str, ClaimCode]:
    """A new one-time claim code for ``unit``; the code itself is returned once, never stored."""
    issued = now or timezone.now()
    code = new_claim_code()
    record = ClaimCode.objects.create(
        unit=unit,
        digest=claim_code_digest(code),
        issued_by=by,
        expires_at=issued + dt.timedelta(days=CLAIM_CODE_DAYS),
    )
    audit.record("unit.claim_code_issued", actor=by, obj=unit, code=record.pk)
    return code, record
