"""A complaint recorded without a unit, linked to one by staff after intake (issue 19 item 4)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Complaint
from complaints.services.steps import step_refused
from lyushunkou import audit
from lyushunkou.claims import claim
from lyushunkou.models import User
from units.models import Unit


@transaction.atomic
def complaint_link_unit(*, complaint: Complaint, unit: Unit, by: User) -> Complaint:
    """Link ``complaint`` to ``unit``; refused if it was linked meanwhile (two staff at once)."""
    claim(
        Complaint.objects.filter(pk=complaint.pk, unit__isnull=True),
        refusal=step_refused(
            _(
                "This complaint was linked to a unit meanwhile (perhaps by someone else a moment "
                "ago). Nothing was changed."
            )
        ),
        unit=unit,
        updated_at=timezone.now(),
    )
    audit.record("complaint.unit_linked", actor=by, obj=complaint, unit=unit.pk)
    complaint.refresh_from_db()
    return complaint
