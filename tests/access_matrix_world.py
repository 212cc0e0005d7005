"""The fixture world of the access matrix (tests/test_access_matrix.py): objects of every kind,
all belonging to ``operator`` (A) and lying in 登峰街道, and the apps' parts that add their own
(``SCORING_PARTS``: build(...) → World.extra, rows(m) → rows of the matrix)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from complaints import services as complaint_services
from complaints import services_followup
from complaints.models import Complaint
from inspections import services_checks as checks
from inspections.models import (
    CheckItem,
    DishonestListing,
    Finding,
    OnSiteCheck,
    Penalty,
    SafetyIncident,
    SamplingBatch,
)
from lyushunkou.models import ImportJob, Jurisdiction, User
from lyushunkou.services_notices import notice_save
from tests import matrix_exports
from tests.areas import matrix_areas
from tests.complaints.helpers import register as register_complaint
from tests.inspections.helpers import batch as record_batch
from tests.scoring import matrix_dashboard, matrix_reports, matrix_scores, matrix_targets
from tests.supervision import matrix_supervision
from tests.units.helpers import approved_application, submitted_application
from units import services as unit_services
from units import services_blocks, services_notice
from units.models import (
    DemonstrationApplication,
    DemonstrationBlock,
    DemonstrationIndustry,
    EvidenceFile,
    Unit,
    UnitClaim,
)

# Apps whose pages are classified in their own module: build(...) → World.extra, rows(m).
SCORING_PARTS = (
    matrix_scores,
    matrix_targets,
    matrix_dashboard,
    matrix_reports,
    matrix_supervision,
    matrix_areas,
    matrix_exports,
)

ROOT = Path(__file__).resolve().parent.parent
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40

# --- The world ---------------------------------------------------------------------------------


@dataclass
class World:
    unit: Unit
    application: DemonstrationApplication
    evidence: EvidenceFile
    claim: UnitClaim
    complaint: Complaint  # forwarded to operator A (ODR)
    report: Complaint  # 举报 against operator A's unit
    token: str  # the complainant's callback link of a concluded complaint
    batch: SamplingBatch
    check: OnSiteCheck
    item: CheckItem
    finding: Finding
    import_job: ImportJob  # a background import, uploaded by street_staff
    records: dict[str, Any] = field(default_factory=dict)  # record kind → penalty/listing/incident
    extra: dict[str, Any] = field(default_factory=dict)  # objects of the scoring app's pages


def build_world(
    *, unit: Unit, dengfeng: Jurisdiction, operator: User, other_operator: User, staff: User
) -> World:
    application = approved_application(unit, operator, staff)  # a demonstration unit: a plaque
    # Its renewal for the next year, approved and in public notice with one objection.
    renewal = submitted_application(unit, operator, year=application.year + 1)
    for step in (unit_services.application_start_review, unit_services.application_to_onsite_check):
        renewal = step(application=renewal, by=staff, version=renewal.version)
    renewal = unit_services.application_approve(
        application=renewal, by=staff, version=renewal.version
    )
    objection = services_notice.objection_lodge(
        notice=services_notice.open_notice(renewal),  # type: ignore[arg-type]
        text="该店存在虚假宣传。",
        contact="13812345678",
    )
    unit.refresh_from_db()
    evidence = unit_services.evidence_add(
        unit=unit, by=operator, upload=SimpleUploadedFile("承诺书.pdf", PDF, "application/pdf")
    )
    claim = UnitClaim(unit=unit, claimant=other_operator, licence_type="application/pdf")
    claim.licence.save("licence.pdf", SimpleUploadedFile("licence.pdf", PDF), save=False)
    claim.save()

    today = timezone.localdate()
    complaint = register_complaint(dengfeng, on=today - dt.timedelta(days=3), unit=unit)
    complaint = complaint_services.complaint_accept(
        complaint=complaint, by=staff, version=complaint.version
    )
    complaint = complaint_services.complaint_forward_odr(  # also notifies operator A
        complaint=complaint, by=staff, version=complaint.version
    )
    report = register_complaint(dengfeng, on=today, unit=unit, kind="report")
    concluded = register_complaint(dengfeng, on=today - dt.timedelta(days=10), unit=unit)
    concluded = complaint_services.complaint_accept(
        complaint=concluded, by=staff, version=concluded.version
    )
    concluded = complaint_services.complaint_conclude(
        complaint=concluded, by=staff, version=concluded.version, outcome="mediated"
    )
    token = services_followup.callback_link_create(complaint=concluded, by=staff)

    batch = record_batch(
        staff,
        dengfeng,
        sampled_unit_name=unit.name,
        sampled_unit_credit_code=unit.credit_code,
        result="fail",
    )
    assert batch.unit_id == unit.pk
    check = checks.check_record(
        unit=unit,
        by=staff,
        checked_on=dt.date(2025, 9, 1),
        check_type="price_marking",
        inspectors="张三",
        items=[
            {
                "item": "明码标价",
                "passed": False,
                "photo": SimpleUploadedFile("价签.png", PNG, "image/png"),
            }
        ],
        findings=[{"guarantee": "price", "severity": "general", "description": "价签不全"}],
    )
    finding = checks.finding_rectify(
        finding=check.findings.get(),
        by=operator,
        rectified_on=dt.date(2025, 9, 5),
        note="已补齐价签",
        evidence=SimpleUploadedFile("整改.pdf", PDF, "application/pdf"),
    )
    records = {
        "penalties": checks.penalty_save(
            by=staff,
            unit=unit,
            kind="price_fraud",
            decision_no="旅市监罚〔2025〕1号",
            decided_on=dt.date(2025, 9, 10),
            amount=2000,
        ),
        "listings": checks.listing_save(
            by=staff,
            unit=unit,
            listed_on=dt.date(2025, 9, 12),
            authority="旅顺口区市场监督管理局",
            reason="价格欺诈",
        ),
        "incidents": checks.incident_save(
            by=staff,
            unit=unit,
            occurred_on=dt.date(2025, 9, 14),
            severity="general",
            description="顾客食用后腹泻",
        ),
    }
    assert {type(r) for r in records.values()} == {Penalty, DishonestListing, SafetyIncident}
    import_job = ImportJob.objects.create(
        kind="units", uploaded_by=staff, jurisdiction=dengfeng, file_name="units.xlsx"
    )
    extra: dict[str, Any] = {"renewal": renewal, "objection": objection}
    for part in SCORING_PARTS:
        extra.update(part.build(unit=unit, operator=operator, staff=staff, dengfeng=dengfeng))
    # A demonstration block of 登峰 with the unit as its member, and a demonstration industry.
    extra["block"] = DemonstrationBlock.objects.create(
        name="旅顺老街商圈", kind="circle", jurisdiction=dengfeng, year=2025
    )
    services_blocks.block_add_units(block=extra["block"], by=staff, lines=[unit.credit_code])
    extra["industry"] = DemonstrationIndustry.objects.create(industry=unit.industry, year=2025)
    extra["notice"] = notice_save(
        by=staff,
        title="关于开展放心消费创建的通知",
        body="正文",
        state="published",
        published_on=dt.date(2025, 9, 1),
        attachments=[SimpleUploadedFile("通知.pdf", PDF, "application/pdf")],
    )
    return World(
        unit=unit,
        application=application,
        evidence=evidence,
        claim=claim,
        complaint=complaint,
        report=report,
        token=token,
        batch=batch,
        check=check,
        item=check.items.get(),
        finding=finding,
        import_job=import_job,
        records=records,
        extra=extra,
    )
