"""Every change to a sampling batch (STYLE.md habit 2): keyword-only, atomic, audited.

Transitions are claimed with a conditional UPDATE (habit 3): of two staff recording the same
re-test at once, one wins and the other gets ``StaleObject``. ``final_result`` is written here and
nowhere else; a check constraint in the database refuses a row where it disagrees with the
result and the re-test result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.models import (
    Disposal,
    DisposalKind,
    SamplingBatch,
    SamplingResult,
)
from lyushunkou import audit
from lyushunkou.claims import StaleObject, claim
from lyushunkou.credit_codes import normalize_credit_code
from lyushunkou.models import Jurisdiction, User
from lyushunkou.workdays import deadline
from units.models import Unit

__all__ = [
    "DISPOSAL_WORKDAYS",
    "RETEST_APPLICATION_WORKDAYS",
    "StaleObject",
    "batch_apply_retest",
    "batch_link_unit",
    "batch_notify",
    "batch_record",
    "batch_record_retest",
    "batch_update",
    "disposal_add",
]

# 食品安全抽样检验管理办法 Art. 35: a re-test is applied for within 7 working days of receiving
# the result. The district's practice: a failure is disposed of within 10 working days.
RETEST_APPLICATION_WORKDAYS = 7
DISPOSAL_WORKDAYS = 10

BATCH_FIELDS = (
    "sampled_on",
    "sampling_type",
    "category",
    "subcategory",
    "product_name",
    "specification",
    "batch_or_production_date",
    "sampled_unit_name",
    "sampled_unit_credit_code",
    "sampled_unit_address",
    "jurisdiction",
    "nominal_manufacturer",
    "lab",
    "result",
    "failed_items",
    "retest_result",
    "stage",
)


def _today() -> dt.date:
    return timezone.localdate()


def _check_rules(batch: SamplingBatch) -> None:
    """The rules of a batch beyond single fields, with the field each one belongs to."""
    errors: dict[str, str] = {}
    if batch.sampled_on and batch.sampled_on > _today():
        errors["sampled_on"] = _("The sampling date is in the future.")
    if batch.result == SamplingResult.FAIL and not batch.failed_items.strip():
        errors["failed_items"] = _("A failed batch names its failed items.")
    if batch.result != SamplingResult.FAIL:
        if batch.retest_result:
            errors["retest_result"] = _("Only a failed batch can be re-tested.")
        if batch.failed_items.strip() and batch.result == SamplingResult.PASS:
            errors["failed_items"] = _("A batch that passed has no failed items.")
    if errors:
        raise ValidationError(errors)


def _unit_for_code(code: str) -> Unit | None:
    return Unit.objects.filter(credit_code=code).first() if code else None


class BatchFields(TypedDict, total=False):
    """The recorded fields of a sampling batch (``BATCH_FIELDS``, its number and its unit): a
    service writes those given."""

    sample_no: str
    sampled_on: dt.date
    sampling_type: str
    category: str
    subcategory: str
    product_name: str
    specification: str
    batch_or_production_date: str
    sampled_unit_name: str
    sampled_unit_credit_code: str
    sampled_unit_address: str
    jurisdiction: Jurisdiction | None
    nominal_manufacturer: str
    lab: str
    result: str
    failed_items: str
    retest_result: str
    stage: str
    unit: Unit | None


@transaction.atomic
def batch_record(*, by: User, **fields: Unpack[BatchFields]) -> SamplingBatch:
    """Record a new batch; it is linked to the registered unit with the same credit code."""
    given: Mapping[str, Any] = fields
    batch = SamplingBatch(created_by=by)
    for field in BATCH_FIELDS:
        if field in given:
            setattr(batch, field, given[field])
    batch.sample_no = str(given.get("sample_no", "")).strip()
    batch.sampled_unit_credit_code = normalize_credit_code(batch.sampled_unit_credit_code)
    batch.unit = given.get("unit") or _unit_for_code(batch.sampled_unit_credit_code)
    batch.final_result = SamplingBatch.final_of(batch.result, batch.retest_result)
    _check_rules(batch)
    batch.full_clean()
    batch.save()
    audit.record(
        "sampling.recorded",
        actor=by,
        obj=batch,
        result=batch.result,
        final_result=batch.final_result,
    )
    return batch


@transaction.atomic
def batch_update(
    *, batch: SamplingBatch, by: User, version: int, **fields: Unpack[BatchFields]
) -> SamplingBatch:
    """Change the recorded fields given; ``version`` is what the editor (or the import) read."""
    given: Mapping[str, Any] = fields
    candidate = SamplingBatch.objects.get(pk=batch.pk)
    changes: dict[str, Any] = {}
    for field in BATCH_FIELDS:
        if field in given and getattr(candidate, field) != given[field]:
            changes[field] = given[field]
            setattr(candidate, field, given[field])
    if "sampled_unit_credit_code" in changes:
        code = normalize_credit_code(candidate.sampled_unit_credit_code)
        candidate.sampled_unit_credit_code = changes["sampled_unit_credit_code"] = code
        unit = _unit_for_code(code)
        if unit is not None:
            candidate.unit = changes["unit"] = unit
    if not changes:
        return batch
    candidate.final_result = SamplingBatch.final_of(candidate.result, candidate.retest_result)
    changes["final_result"] = candidate.final_result
    _check_rules(candidate)
    candidate.full_clean(exclude=["sample_no"])
    claim(
        SamplingBatch.objects.filter(pk=batch.pk),
        version=version,
        updated_at=timezone.now(),
        **changes,
    )
    audit.record(
        "sampling.updated",
        actor=by,
        obj=candidate,
        fields=sorted(key for key in changes if key != "final_result"),
    )
    batch.refresh_from_db()
    return batch


@transaction.atomic
def batch_link_unit(*, batch: SamplingBatch, by: User, unit: Unit) -> SamplingBatch:
    claim(SamplingBatch.objects.filter(pk=batch.pk), version=batch.version, unit=unit)
    audit.record("sampling.unit_linked", actor=by, obj=batch, unit=unit.pk)
    batch.refresh_from_db()
    return batch


@transaction.atomic
def batch_notify(*, batch: SamplingBatch, by: User, notified_on: dt.date) -> SamplingBatch:
    """Record when the unit was notified of a failure; the re-test and disposal clocks start."""
    if batch.result != SamplingResult.FAIL:
        raise ValidationError({"notified_on": _("Only a failure is notified.")})
    if notified_on > _today() or notified_on < batch.sampled_on:
        raise ValidationError(
            {"notified_on": _("The notification date is before sampling or in the future.")}
        )
    claim(
        SamplingBatch.objects.filter(
            pk=batch.pk, result=SamplingResult.FAIL, retest_applied_on__isnull=True
        ),
        notified_on=notified_on,
        retest_due=deadline(notified_on, RETEST_APPLICATION_WORKDAYS).date,
        disposal_due=deadline(notified_on, DISPOSAL_WORKDAYS).date,
    )
    audit.record("sampling.notified", actor=by, obj=batch, notified_on=notified_on.isoformat())
    batch.refresh_from_db()
    return batch


@transaction.atomic
def batch_apply_retest(
    *, batch: SamplingBatch, by: User, applied_on: dt.date, lab: str
) -> SamplingBatch:
    """Record a re-test application (复检申请); refused after its deadline, naming the date due."""
    if batch.result != SamplingResult.FAIL or batch.retest_result:
        raise ValidationError({"applied_on": _("Only an unresolved failure can be re-tested.")})
    if batch.notified_on is None or batch.retest_due is None:
        raise ValidationError(
            {"applied_on": _("Record when the unit was notified of the failure first.")}
        )
    if applied_on < batch.notified_on or applied_on > _today():
        raise ValidationError(
            {"applied_on": _("The application date is before notification or in the future.")}
        )
    if applied_on > batch.retest_due:
        raise ValidationError(
            {
                "applied_on": _(
                    "Too late: a re-test had to be applied for by %(due)s (%(days)d working days "
                    "after notification on %(notified)s)."
                )
                % {
                    "due": batch.retest_due.isoformat(),
                    "days": RETEST_APPLICATION_WORKDAYS,
                    "notified": batch.notified_on.isoformat(),
                }
            }
        )
    if not lab.strip():
        raise ValidationError({"lab": _("Name the re-test laboratory.")})
    claim(
        SamplingBatch.objects.filter(pk=batch.pk, retest_applied_on__isnull=True, retest_result=""),
        retest_applied_on=applied_on,
        retest_lab=lab.strip()[:200],
    )
    audit.record("sampling.retest_applied", actor=by, obj=batch, applied_on=applied_on.isoformat())
    batch.refresh_from_db()
    return batch


@transaction.atomic
def batch_record_retest(
    *, batch: SamplingBatch, by: User, result: str, decided_on: dt.date
) -> SamplingBatch:
    """The re-test result is final: it replaces the first result in every figure."""
    if result not in (SamplingResult.PASS, SamplingResult.FAIL):
        raise ValidationError({"result": _("A re-test result is pass or fail.")})
    if batch.retest_applied_on is None:
        raise ValidationError({"result": _("Record the re-test application first.")})
    if decided_on < batch.retest_applied_on or decided_on > _today():
        raise ValidationError(
            {"decided_on": _("The re-test date is before the application or in the future.")}
        )
    claim(
        SamplingBatch.objects.filter(pk=batch.pk, result=SamplingResult.FAIL, retest_result=""),
        retest_result=result,
        final_result=result,
        retest_decided_on=decided_on,
    )
    audit.record(
        "sampling.retest_recorded", actor=by, obj=batch, result=result, overturned=result == "pass"
    )
    batch.refresh_from_db()
    return batch


@transaction.atomic
def disposal_add(
    *,
    batch: SamplingBatch,
    by: User,
    kind: str,
    done_on: dt.date,
    note: str = "",
    responsible: User | None = None,
) -> Disposal:
    if batch.result != SamplingResult.FAIL:
        raise ValidationError({"kind": _("Only a failed batch is disposed of.")})
    if kind not in DisposalKind.values:
        raise ValidationError({"kind": _("Unknown disposal.")})
    if done_on > _today() or done_on < batch.sampled_on:
        raise ValidationError({"done_on": _("The date is before sampling or in the future.")})
    # Lock the batch so that the overdue state and the disposals change together.
    SamplingBatch.objects.select_for_update().filter(pk=batch.pk).first()
    disposal = Disposal(
        batch=batch, kind=kind, done_on=done_on, note=note, responsible=responsible or by
    )
    disposal.full_clean()
    disposal.save()
    audit.record("sampling.disposal_added", actor=by, obj=batch, kind=kind)
    return disposal
