"""What the tests of the demonstration-unit standard share: the day they check as of, a
criterion's result and status, an application at review, an on-site check item."""

from __future__ import annotations

import datetime as dt
from typing import Any

from inspections.models import CheckItem, OnSiteCheck
from lyushunkou.models import User
from tests.units.helpers import (
    submitted_application,
)
from units import services
from units.models import (
    DemonstrationApplication,
    Unit,
)
from units.standard import standard_check

TODAY = dt.date(2026, 11, 10)  # every rule is checked as of this day unless the test approves


def result(unit: Unit, code: str, today: dt.date = TODAY) -> Any:
    return next(o for o in standard_check(unit, today).outcomes if o.code == code)


def status(unit: Unit, code: str, today: dt.date = TODAY) -> str:
    return str(result(unit, code, today).status)


def at_review(unit: Unit, operator: User, staff: User) -> DemonstrationApplication:
    application = submitted_application(unit, operator)
    application = services.application_start_review(
        application=application, by=staff, version=application.version
    )
    return services.application_to_onsite_check(
        application=application, by=staff, version=application.version
    )


def check_item(unit: Unit, staff: User, on: dt.date, item: str, *, passed: bool) -> CheckItem:
    record = OnSiteCheck.objects.create(
        unit=unit, checked_on=on, check_type="commitments", inspectors="王五", staff=staff
    )
    return CheckItem.objects.create(check_record=record, item=item, passed=passed)
