"""Membership of demonstration blocks (STYLE.md habit 2): staff add units by credit code and
remove them. Keyword-only, atomic, audited; a unit belongs to at most one block (Unit.block).

Adding is all-or-nothing: every line is checked first and the errors name their line ("第N行"),
so a list pasted from a spreadsheet is either taken whole or sent back to be fixed.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lyushunkou import audit
from lyushunkou.claims import StaleObject, claim
from lyushunkou.credit_codes import normalize_credit_code, validate_credit_code
from lyushunkou.models import Role, User
from units.access import units_for_user
from units.models import DemonstrationBlock, Unit


def _line_error(number: int, reason: str) -> str:
    return _("Line %(line)d: %(reason)s") % {"line": number, "reason": reason}


def _check_staff(by: User) -> None:
    # The views check first; a service called from elsewhere (a command, a shell) checks again.
    if by.role != Role.STAFF:
        raise PermissionDenied


def _units_to_add(*, block: DemonstrationBlock, by: User, lines: Sequence[str]) -> list[Unit]:
    """The units the lines name, or a ValidationError listing every bad line."""
    codes: dict[int, str] = {}
    errors: list[str] = []
    first_seen: dict[str, int] = {}
    for number, line in enumerate(lines, 1):
        code = normalize_credit_code(line)
        if not code:
            continue  # a blank line is no request
        try:
            validate_credit_code(code)
        except ValidationError as error:
            errors.append(_line_error(number, " ".join(error.messages)))
            continue
        if code in first_seen:
            reason = _("This credit code already appears on line %(line)d.") % {
                "line": first_seen[code]
            }
            errors.append(_line_error(number, reason))
            continue
        first_seen[code] = number
        codes[number] = code
    # Only the units this member of staff may see: another street's unit reads as unknown.
    found = {
        unit.credit_code: unit
        for unit in units_for_user(by)
        .select_related("block")
        .select_for_update(of=("self",))
        .filter(credit_code__in=codes.values())
    }
    units = []
    for number, code in codes.items():
        unit = found.get(code)
        if unit is None:
            reason = _("No unit in your jurisdiction has the credit code %(code)s.") % {
                "code": code
            }
        elif unit.verified_at is None:
            reason = _(
                "The business licence of %(name)s is not verified yet; verify it before adding "
                "the unit to a block."
            ) % {"name": unit.name}
        elif unit.block_id == block.pk:
            reason = _("%(name)s is already in this block.") % {"name": unit.name}
        elif unit.block is not None:
            reason = _("%(name)s is in the block %(block)s; remove it from there first.") % {
                "name": unit.name,
                "block": unit.block.name,
            }
        else:
            units.append(unit)
            continue
        errors.append(_line_error(number, reason))
    if errors:
        raise ValidationError({"lines": errors})
    return units


@transaction.atomic
def block_add_units(*, block: DemonstrationBlock, by: User, lines: Sequence[str]) -> list[Unit]:
    """Add the units named by credit code, one per line; all or none."""
    _check_staff(by)
    units = _units_to_add(block=block, by=by, lines=lines)
    if not units:
        raise ValidationError({"lines": _("Credit codes: enter at least one.")})
    # The rows are locked above; the condition still states what was checked.
    claim(
        Unit.objects.filter(pk__in=[unit.pk for unit in units], block__isnull=True),
        rows=len(units),
        refusal=StaleObject(
            _("Someone else changed these units meanwhile. Nothing was added: try again.")
        ),
        block=block,
        updated_at=timezone.now(),
    )
    for unit in units:
        audit.record(
            "unit.block_joined",
            actor=by,
            obj=unit,
            block=block.pk,
            block_name=block.name,
            credit_code=unit.credit_code,
        )
    return units


@transaction.atomic
def block_remove_unit(*, block: DemonstrationBlock, unit: Unit, by: User) -> None:
    """Take a unit out of the block; refused if it is no longer in it."""
    _check_staff(by)
    claim(
        Unit.objects.filter(pk=unit.pk, block=block),
        refusal=StaleObject(
            _("%(name)s is no longer in this block: someone removed it meanwhile.")
            % {"name": unit.name}
        ),
        block=None,
        updated_at=timezone.now(),
    )
    audit.record(
        "unit.block_left",
        actor=by,
        obj=unit,
        block=block.pk,
        block_name=block.name,
        credit_code=unit.credit_code,
    )
    unit.block = None
