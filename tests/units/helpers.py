"""Drive units through the real services, as the app does."""

from __future__ import annotations

from lyushunkou.models import User
from units import services
from units.models import Commitment, DemonstrationApplication, Unit


def commit(unit: Unit, by: User) -> None:
    services.commitment_save(
        unit=unit, by=by, kind=Commitment.Kind.FIRST_ASK, data={"content": "首问负责，不推诿。"}
    )


def submitted_application(unit: Unit, by: User, year: int = 2026) -> DemonstrationApplication:
    commit(unit, by)
    application = services.application_create(
        unit=unit,
        by=by,
        data={
            "year": year,
            "statement": "五放心自评：质量、安全、价格、服务、维权均达标。",
            "commitments_confirmed": True,
        },
    )
    return services.application_submit(application=application, by=by, version=application.version)


def approved_application(unit: Unit, operator: User, staff: User) -> DemonstrationApplication:
    application = submitted_application(unit, operator)
    application = services.application_start_review(
        application=application, by=staff, version=application.version
    )
    application = services.application_to_onsite_check(
        application=application, by=staff, version=application.version
    )
    return services.application_approve(
        application=application, by=staff, version=application.version
    )
