"""What inspections tells the demonstration-unit standard (``units.extensions``): on-site check
items that verify a self-discipline system, and the three "nothing outstanding" rules — no
unrectified finding, no overdue disposal of a failed batch, not on the dishonest list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from inspections.models import CheckItem, DishonestListing, Finding, SamplingBatch
from inspections.selectors import overdue_condition, with_disposal_state
from units.extensions import CheckEvidence, CriterionResult, CriterionStatus, RecordLink
from units.models import Unit

RECORD_LIMIT = 10


def _operator_page(unit: Unit) -> str:
    return reverse("workspace-unit", args=[unit.pk])


def check_evidence(unit: Unit, words: Sequence[str], since: dt.date) -> CheckEvidence | None:
    """The latest check item since ``since`` whose text names the system (e.g. 首问负责)."""
    if not words:
        return None
    item = (
        CheckItem.objects.filter(
            reduce(or_, (Q(item__contains=word) for word in words)),
            check_record__unit=unit,
            check_record__checked_on__gte=since,
        )
        .select_related("check_record")
        .order_by("-check_record__checked_on", "-id")
        .first()
    )
    if item is None:
        return None
    checked_on = item.check_record.checked_on
    return CheckEvidence(
        passed=item.passed,
        checked_on=checked_on,
        record=RecordLink(
            _("On-site check of %(date)s: %(item)s")
            % {"date": checked_on.isoformat(), "item": item.item},
            reverse("check-detail", args=[item.check_record_id]),
            _operator_page(unit),
        ),
    )


def findings_rectified_rule(
    unit: Unit, params: Mapping[str, Any], today: dt.date
) -> CriterionResult:
    """Every finding's rectification confirmed by staff; open, overdue and awaiting-confirmation
    findings all count as unrectified."""
    rows = list(
        Finding.objects.filter(unit=unit, confirmed_at__isnull=True)
        .order_by("rectification_due", "id")
        .values_list("check_record_id", "check_record__checked_on", "rectification_due")
    )
    if not rows:
        return CriterionResult(CriterionStatus.MET, _("No finding awaits rectification."))
    overdue = sum(1 for _check, _on, due in rows if due < today)
    records = tuple(
        RecordLink(
            _("Finding of the check of %(date)s, due %(due)s")
            % {"date": on.isoformat(), "due": due.isoformat()},
            reverse("check-detail", args=[check]),
            _operator_page(unit),
        )
        for check, on, due in rows[:RECORD_LIMIT]
    )
    return CriterionResult(
        CriterionStatus.NOT_MET,
        _("%(count)s findings not confirmed as rectified (%(overdue)s overdue).")
        % {"count": len(rows), "overdue": overdue},
        records,
    )


def disposals_on_time_rule(
    unit: Unit, params: Mapping[str, Any], today: dt.date
) -> CriterionResult:
    rows = list(
        with_disposal_state(SamplingBatch.objects.filter(unit=unit))
        .filter(overdue_condition(today))
        .order_by("disposal_due", "id")
        .values_list("pk", "sample_no", "product_name", "disposal_due")
    )
    if not rows:
        return CriterionResult(
            CriterionStatus.MET, _("No failed sampling batch is overdue for disposal.")
        )
    records = tuple(
        RecordLink(
            _("%(no)s %(product)s, disposal due %(due)s")
            % {"no": no, "product": product, "due": due.isoformat() if due else ""},
            reverse("sampling-detail", args=[pk]),
            _operator_page(unit),
        )
        for pk, no, product, due in rows[:RECORD_LIMIT]
    )
    return CriterionResult(
        CriterionStatus.NOT_MET,
        _("%(count)s failed sampling batches are overdue for disposal.") % {"count": len(rows)},
        records,
    )


def not_dishonest_rule(unit: Unit, params: Mapping[str, Any], today: dt.date) -> CriterionResult:
    rows = list(
        DishonestListing.objects.filter(unit=unit, listed_on__lte=today)
        .filter(Q(removed_on__isnull=True) | Q(removed_on__gt=today))
        .order_by("-listed_on", "-id")
        .values_list("pk", "listed_on", "authority")
    )
    if not rows:
        return CriterionResult(
            CriterionStatus.MET, _("Not on the serious illegal and dishonest list.")
        )
    records = tuple(
        RecordLink(
            _("Listed on %(date)s by %(authority)s")
            % {"date": listed_on.isoformat(), "authority": authority},
            reverse("record-edit", kwargs={"kind": "listings", "pk": pk}),
        )
        for pk, listed_on, authority in rows[:RECORD_LIMIT]
    )
    return CriterionResult(
        CriterionStatus.NOT_MET,
        _("On the serious illegal and dishonest list since %(date)s.")
        % {"date": rows[-1][1].isoformat()},
        records,
    )


def register() -> None:
    from units.extensions import register_check_evidence, register_standard_rule

    register_check_evidence(check_evidence)
    register_standard_rule("findings_rectified", findings_rectified_rule)
    register_standard_rule("disposals_on_time", disposals_on_time_rule)
    register_standard_rule("not_dishonest", not_dishonest_rule)
