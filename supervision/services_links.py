"""Staff link a complaint or sampling batch recorded without a unit to one (issue 19 item 4).

Each app's own service does the conditional update and the audit: ``complaint_link_unit`` claims
the complaint only while it has no unit; ``batch_link_unit`` claims the batch at the version read,
so a batch linked meanwhile is refused too. Either refusal becomes ``AlreadyLinked``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from complaints.models import Complaint
from complaints.services.linking import complaint_link_unit
from inspections.models import SamplingBatch
from inspections.services import batch_link_unit
from lyushunkou.claims import StaleObject
from lyushunkou.models import User
from units.models import Unit


class AlreadyLinked(ValidationError):
    def __init__(self) -> None:
        super().__init__(
            _("This record was linked to a unit meanwhile; nothing was changed."),
            code="already_linked",
        )


def record_link_unit(
    *, record: Complaint | SamplingBatch, unit: Unit, by: User
) -> Complaint | SamplingBatch:
    if record.unit_id is not None:
        raise AlreadyLinked()
    try:
        if isinstance(record, Complaint):
            return complaint_link_unit(complaint=record, unit=unit, by=by)
        return batch_link_unit(batch=record, unit=unit, by=by)
    except StaleObject:
        raise AlreadyLinked() from None
