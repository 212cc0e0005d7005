"""Changes to on-site checks, findings, penalties, dishonest listings and safety incidents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.models import (
    CheckItem,
    CheckType,
    DishonestListing,
    Finding,
    OnSiteCheck,
    Penalty,
    SafetyIncident,
)
from lyushunkou import audit
from lyushunkou.claims import claim
from lyushunkou.models import User
from lyushunkou.workdays import deadline
from units.models import Unit
from units.uploads import check_upload

# Working days a unit has to rectify a finding unless staff set another date.
RECTIFICATION_WORKDAYS = 10

# The default checklist of each type of check; staff tick each item and may add notes.
DEFAULT_CHECKLISTS: dict[str, list[str]] = {
    CheckType.PRICE_MARKING: [
        "商品和服务明码标价，标签齐全",
        "价签内容（品名、产地、规格、单位、价格）完整",
        "无价外加价、不标示的收费",
        "促销价格有原价依据",
    ],
    CheckType.SAFETY: [
        "证照齐全有效",
        "进货查验和索证索票记录完整",
        "无过期、变质商品",
        "消防通道畅通，安全设施完好",
    ],
    CheckType.SERVICE: [
        "服务项目、收费标准公示",
        "无虚假宣传",
        "服务承诺公开并兑现",
    ],
    CheckType.COMMITMENTS: [
        "首问负责制度落实",
        "先行赔付制度落实",
        "无理由退货承诺公示并执行",
        "购销台账完整",
    ],
    CheckType.STATION: [
        "12315服务站标识公示",
        "有专人负责投诉处理",
        "投诉处理记录完整",
    ],
}


def _today() -> dt.date:
    return timezone.localdate()


def _not_future(field: str, day: dt.date | None) -> None:
    if day is not None and day > _today():
        raise ValidationError({field: _("The date is in the future.")})


def default_due(checked_on: dt.date) -> dt.date:
    return deadline(checked_on, RECTIFICATION_WORKDAYS).date


@transaction.atomic
def check_record(
    *,
    unit: Unit,
    by: User,
    checked_on: dt.date,
    check_type: str,
    inspectors: str = "",
    notes: str = "",
    items: list[dict[str, Any]],
    findings: list[dict[str, Any]] = (),  # type: ignore[assignment]
) -> OnSiteCheck:
    """Record a check with its checklist and findings; photos are checked like evidence."""
    _not_future("checked_on", checked_on)
    check = OnSiteCheck(
        unit=unit,
        checked_on=checked_on,
        check_type=check_type,
        inspectors=inspectors.strip(),
        notes=notes,
        staff=by,
    )
    check.full_clean()
    check.save()
    for entry in items:
        item = CheckItem(
            check_record=check,
            item=entry["item"],
            passed=bool(entry.get("passed")),
            note=entry.get("note", ""),
        )
        photo = entry.get("photo")
        if photo:
            try:
                check_upload(photo)
            except ValidationError as error:
                raise ValidationError({"photo": error.message_dict.get("file", [])}) from None
            item.photo.save(photo.name, photo, save=False)
        item.full_clean()
        item.save()
    for finding in findings:
        finding_add(check=check, by=by, audited=False, **finding)
    audit.record(
        "inspection.check_recorded",
        actor=by,
        obj=unit,
        check=check.pk,
        check_type=check.check_type,
        findings=len(findings),
        failed_items=sum(1 for entry in items if not entry.get("passed")),
    )
    return check


@transaction.atomic
def finding_add(
    *,
    check: OnSiteCheck,
    by: User,
    guarantee: str,
    severity: str,
    description: str,
    rectification_due: dt.date | None = None,
    audited: bool = True,
) -> Finding:
    """A finding of ``check``; without a ``rectification_due`` the default deadline applies."""
    finding = Finding(
        check_record=check,
        unit_id=check.unit_id,
        guarantee=guarantee,
        severity=severity,
        description=description,
        rectification_due=rectification_due or default_due(check.checked_on),
    )
    if finding.rectification_due < check.checked_on:
        raise ValidationError(
            {"rectification_due": _("The rectification deadline is before the check.")}
        )
    finding.full_clean()
    finding.save()
    if audited:
        audit.record("inspection.finding_added", actor=by, obj=check.unit, finding=finding.pk)
    return finding


@transaction.atomic
def finding_rectify(
    *, finding: Finding, by: User, rectified_on: dt.date, note: str, evidence: Any = None
) -> Finding:
    """The operator (or staff on their behalf) records how the finding was put right."""
    _not_future("rectified_on", rectified_on)
    if rectified_on < finding.check_record.checked_on:
        raise ValidationError({"rectified_on": _("The date is before the check.")})
    if not note.strip():
        raise ValidationError({"note": _("Describe what was done.")})
    if evidence:
        try:
            check_upload(evidence)
        except ValidationError as error:
            raise ValidationError({"evidence": error.message_dict.get("file", [])}) from None
    claim(
        Finding.objects.filter(pk=finding.pk, rectified_on__isnull=True),
        rectified_on=rectified_on,
        rectification_note=note.strip(),
        rectified_by=by,
    )
    finding.refresh_from_db()
    if evidence:
        finding.evidence.save(evidence.name, evidence, save=False)
        finding.save(update_fields=["evidence"])
    audit.record("inspection.finding_rectified", actor=by, obj=finding.unit, finding=finding.pk)
    return finding


@transaction.atomic
def finding_confirm(*, finding: Finding, by: User, approve: bool, note: str = "") -> Finding:
    """Staff accept the rectification, or send it back (the finding is open again)."""
    rectified = Finding.objects.filter(
        pk=finding.pk, rectified_on__isnull=False, confirmed_at__isnull=True
    )
    if approve:
        claim(rectified, confirmed_by=by, confirmed_at=timezone.now())
    else:
        if not note.strip():
            raise ValidationError({"note": _("Give the reason; the operator will see it.")})
        claim(
            rectified,
            rectified_on=None,
            rectification_note=_("Returned by staff: %(reason)s") % {"reason": note.strip()},
        )
    finding.refresh_from_db()
    audit.record(
        "inspection.finding_confirmed" if approve else "inspection.finding_returned",
        actor=by,
        obj=finding.unit,
        finding=finding.pk,
        note=note,
    )
    return finding


# --- Penalties, dishonest listings, safety incidents -----------------------------------------

RECORD_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Penalty: ("unit", "kind", "decision_no", "decided_on", "amount", "note"),
    DishonestListing: ("unit", "listed_on", "removed_on", "authority", "reason"),
    SafetyIncident: ("unit", "occurred_on", "severity", "description", "harmed_consumers"),
}
DATE_FIELDS = {"decided_on", "listed_on", "removed_on", "occurred_on"}


def _action(model: type[models.Model], verb: str) -> str:
    return f"inspection.{model._meta.model_name}_{verb}"


class PenaltyFields(TypedDict, total=False):
    unit: Unit
    kind: str
    decision_no: str
    decided_on: dt.date
    amount: Decimal | int
    note: str


class ListingFields(TypedDict, total=False):
    unit: Unit
    listed_on: dt.date
    removed_on: dt.date | None
    authority: str
    reason: str


class IncidentFields(TypedDict, total=False):
    unit: Unit
    occurred_on: dt.date
    severity: str
    description: str
    harmed_consumers: bool


@transaction.atomic
def record_save(*, model: type[models.Model], by: User, instance: Any = None, **data: Any) -> Any:
    """Create (``instance`` None) or change a penalty, dishonest listing or safety incident with
    the fields given (``RECORD_FIELDS``)."""
    created = instance is None
    record: Any = model() if created else instance
    for field in RECORD_FIELDS[model]:
        if field in data:
            if field in DATE_FIELDS:
                _not_future(field, data[field])
            setattr(record, field, data[field])
    record.full_clean()
    record.save()
    audit.record(
        _action(model, "created" if created else "updated"),
        actor=by,
        obj=record.unit,
        record=record.pk,
    )
    return record


@transaction.atomic
def record_delete(*, instance: Any, by: User, reason: str) -> None:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for deleting the record.")})
    model: Any = type(instance)
    unit, pk = instance.unit, instance.pk
    instance.delete()
    audit.record(_action(model, "deleted"), actor=by, obj=unit, record=pk, reason=reason)


def penalty_save(
    *, by: User, instance: Penalty | None = None, **fields: Unpack[PenaltyFields]
) -> Penalty:
    return record_save(model=Penalty, by=by, instance=instance, **fields)  # type: ignore[no-any-return]


def listing_save(
    *, by: User, instance: DishonestListing | None = None, **fields: Unpack[ListingFields]
) -> DishonestListing:
    return record_save(model=DishonestListing, by=by, instance=instance, **fields)  # type: ignore[no-any-return]


def incident_save(
    *, by: User, instance: SafetyIncident | None = None, **fields: Unpack[IncidentFields]
) -> SafetyIncident:
    return record_save(model=SafetyIncident, by=by, instance=instance, **fields)  # type: ignore[no-any-return]
