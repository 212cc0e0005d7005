"""The legal time limits of SAMR Order 20, in Chinese working days (lyushunkou.workdays).

Each limit counts from the day after the event (the event's day itself is not counted).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from lyushunkou.workdays import Deadline, deadline, workdays_between

ACCEPTANCE_DAYS = 7  # Art. 14: decide whether to accept within 7 working days of receipt
ODR_RESPONSE_DAYS = 10  # the respondent operator answers an ODR complaint within 10 working days
MEDIATION_DAYS = 45  # Art. 21: mediation ends within 45 working days of acceptance
TERMINATION_NOTICE_DAYS = 7  # both parties are told within 7 working days of termination
REPORT_DECISION_DAYS = 15  # reports: decide within 15 working days whether to open a case
DUE_SOON_DAYS = 2  # lists flag items due within this many working days


def acceptance_due(received_on: dt.date) -> Deadline:
    return deadline(received_on, ACCEPTANCE_DAYS)


def odr_due(forwarded_on: dt.date) -> Deadline:
    return deadline(forwarded_on, ODR_RESPONSE_DAYS)


def report_due(received_on: dt.date) -> Deadline:
    return deadline(received_on, REPORT_DECISION_DAYS)


def termination_notice_due(terminated_on: dt.date) -> Deadline:
    return deadline(terminated_on, TERMINATION_NOTICE_DAYS)


def paused_workdays(pauses: Iterable[tuple[dt.date, dt.date]]) -> int:
    """Working days on which testing or appraisal stopped the clock: from the pause's first day
    up to the day before mediation resumed."""
    return sum(
        workdays_between(started - dt.timedelta(days=1), ended - dt.timedelta(days=1))
        for started, ended in pauses
    )


def mediation_due(accepted_on: dt.date, pauses: Iterable[tuple[dt.date, dt.date]] = ()) -> Deadline:
    """45 working days from acceptance, extended by every finished pause."""
    return deadline(accepted_on, MEDIATION_DAYS + paused_workdays(pauses))
