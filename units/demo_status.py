"""Demo units in warning (预警) as the re-evaluation rules put them there (units.services_status):
a criterion of the standard lapsed after approval — the 12315 station closed, or the purchase
inspection commitment changed so staff's verification lapsed — and the reason names it in the
words ``standard_check`` uses, with a rectification deadline. Deterministic: the lapse is drawn by
the planner, the day of the warning derives from the unit's public id (no draw), so that some
deadlines are still running and some have passed (the "due for revocation" list has units).
The scoring seeder then runs the real check after grading, which refreshes the reasons if more
criteria are unmet."""

from __future__ import annotations

import datetime as dt
import zlib

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from units.models import Commitment, ServiceStation, Unit

STATION_CLOSED = "station_closed"
VERIFICATION_LAPSED = "verification_lapsed"
LAPSES = (STATION_CLOSED, VERIFICATION_LAPSED)
# A warning given up to this many days ago: with a 30-day deadline, about a third have passed.
WARNED_WITHIN_DAYS = 45


def _refusal(criterion: str, detail: str) -> str:
    return gettext("Demonstration-unit standard not met: %(criterion)s — %(detail)s") % {
        "criterion": gettext(criterion),
        "detail": detail,
    }


def apply_lapse(
    unit: Unit,
    lapse: str,
    *,
    commitments: list[Commitment],
    stations: list[ServiceStation],
    today: dt.date,
) -> None:
    """Make ``lapse`` true of the planned (unsaved) records and put the unit in warning."""
    with translation.override(settings.LANGUAGE_CODE):
        if lapse == STATION_CLOSED:
            for station in stations:
                if station.unit is unit:
                    station.active = False
            reason = _refusal(
                "An active 12315 service station with a named person handling complaints",
                gettext("The 12315 service station is not active."),
            )
        else:
            for commitment in commitments:
                if commitment.unit is unit and commitment.kind == "purchase":
                    commitment.verified_at = None
                    commitment.verification_note = ""
            reason = _refusal(
                "Purchase inspection and ledgers in force and verified by staff",
                gettext(
                    "Declared only: not yet verified by staff on site or from its evidence "
                    "(%(files)s evidence files)."
                )
                % {"files": 0},
            )
    earliest = unit.certified_from or today
    days_ago = zlib.crc32(unit.public_id.encode()) % WARNED_WITHIN_DAYS
    warned_on = max(earliest, today - dt.timedelta(days=days_ago))
    unit.status_reason = reason
    unit.rectify_by = warned_on + dt.timedelta(days=settings.RECTIFICATION_DAYS)
    unit.warning_automatic = True
