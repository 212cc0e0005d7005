"""Drive units through the real services, as the app does."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lyushunkou.models import User
from scoring.models import Rubric, UnitScore
from tests.factories import UnitScoreFactory
from units import services, services_notice
from units.models import Commitment, DemonstrationApplication, Unit
from units.services.declarations import CommitmentDeclaration

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# The four self-discipline systems of the demonstration-unit standard, with what a unit declares.
SYSTEMS: dict[str, CommitmentDeclaration] = {
    Commitment.Kind.FIRST_ASK: {"content": "首问负责，不推诿。"},
    Commitment.Kind.ADVANCE_COMPENSATION: {"content": "消费者权益受损的，本店先行赔付。"},
    Commitment.Kind.PURCHASE_INSPECTION: {"content": "进货查验，索证索票，建立台账。"},
    Commitment.Kind.NO_REASON_RETURN: {
        "content": "七日无理由退货。",
        "return_days": 7,
        "return_scope": "除生鲜食品外的商品",
    },
}


def add_station(unit: Unit, by: User, contact_person: str = "赵站长") -> None:
    services.station_save(
        unit=unit,
        by=by,
        contact_person=contact_person,
        phone="0411-86612315",
        hours="9:00-17:00",
        location="一楼服务台",
    )


def verified_system(unit: Unit, kind: str, operator: User, staff: User) -> Commitment:
    """The operator declares a system and uploads its evidence; staff verify it from that."""
    commitment = services.commitment_save(unit=unit, by=operator, kind=kind, **SYSTEMS[kind])
    services.evidence_add(
        unit=unit,
        by=operator,
        upload=SimpleUploadedFile(f"{kind}.pdf", PDF, "application/pdf"),
        commitment=commitment,
    )
    return services.commitment_verify(
        commitment=commitment, by=staff, note="查阅制度文本和台账照片"
    )


def grade(
    unit: Unit, letter: str = "B", *, on: dt.date | None = None, vetoes: list[str] | None = None
) -> UnitScore:
    """A grade for the month of ``on`` (today by default), as the scoring job would store it."""
    on = on or timezone.localdate()
    points = {"A": 19, "B": 16, "C": 13, "D": 10}[letter]
    return UnitScoreFactory.create(
        unit=unit,
        period=f"{on:%Y-%m}",
        as_of=on,
        rubric=Rubric.objects.earliest("version"),
        demonstration=False,
        quality=points,
        safety=points,
        price=points,
        service=points,
        rights=points,
        raw_grade=letter,
        grade="D" if vetoes else letter,
        vetoes=vetoes or [],
    )


def meet_standard(unit: Unit, staff: User, operator: User | None = None) -> None:
    """Give ``unit`` what the demonstration-unit standard asks: an active 12315 station with a
    named person, the four systems verified by staff from their evidence, and a grade B."""
    operator = operator or unit.owner or staff
    add_station(unit, operator)
    for kind in SYSTEMS:
        verified_system(unit, kind, operator, staff)
    # Graded for last month, as the monthly scoring job does: this month stays free for tests.
    grade(unit, "B", on=timezone.localdate().replace(day=1) - dt.timedelta(days=1))


def commit(unit: Unit, by: User) -> None:
    services.commitment_save(
        unit=unit, by=by, kind=Commitment.Kind.FIRST_ASK, content="首问负责，不推诿。"
    )


def submitted_application(unit: Unit, by: User, year: int = 2026) -> DemonstrationApplication:
    commit(unit, by)
    application = services.application_create(
        unit=unit,
        by=by,
        year=year,
        statement="五放心自评：质量、安全、价格、服务、维权均达标。",
        commitments_confirmed=True,
    )
    return services.application_submit(application=application, by=by, version=application.version)


def approved_application(unit: Unit, operator: User, staff: User) -> DemonstrationApplication:
    application = submitted_application(unit, operator)
    meet_standard(unit, staff, operator)
    application = services.application_start_review(
        application=application, by=staff, version=application.version
    )
    application = services.application_to_onsite_check(
        application=application, by=staff, version=application.version
    )
    application = services.application_approve(
        application=application, by=staff, version=application.version
    )
    return certify(application, staff)


def certify(application: DemonstrationApplication, staff: User) -> DemonstrationApplication:
    """Issue the certificate of an approved application the day after its public notice ends
    (no objection lodged), as staff's "issue now" button or the daily job would."""
    notice = services_notice.open_notice(application)
    assert notice is not None
    return services_notice.certificate_issue(
        application=application, by=staff, today=notice.issue_from
    )
