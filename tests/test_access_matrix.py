"""The access matrix: every URL of the project, for every persona, answers with the expected status.

The project's URL patterns are walked from the root resolver; each named pattern must have a row
in ``MATRIX`` saying how to build its arguments from a fixture world and which statuses each
persona may get. A new view that is not in the matrix fails the build ("add <name> to the access
matrix"), so every page is classified — public, logged-in, staff, operator — before it ships.

The world's objects all belong to ``operator`` (A) and lie in 登峰街道: ``street_staff`` (登峰) is
in scope, ``desheng_staff`` (得胜) is street-scoped staff of another street, and ``other_operator``
(B) owns nothing of it. Status codes only: the text of the pages is the per-view tests' business.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
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
from lyushunkou.models import ImportJob, Jurisdiction, Role, User
from lyushunkou.services_notices import notice_save
from tests import matrix_exports
from tests.areas import matrix_areas
from tests.complaints.helpers import register as register_complaint
from tests.conftest import (
    DENGFENG,
    DESHENG,
    FROZEN_NOW,
    client_for,
    make_dengfeng_restaurant,
    make_persona,
    make_user,
)
from tests.conftest import PERSONAS as CONFTEST_PERSONAS
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

pytestmark = pytest.mark.django_db
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

# --- What the matrix leaves out, and why ---------------------------------------------------------

EXCLUDED_PREFIXES = {
    "admin/": "Django's admin: its own permission system, covered by the admin tests",
    "i18n/": "the language switcher: public by design, sets a cookie and redirects",
    "static/": "static files: public by design (served by whitenoise or runserver, not a view)",
    "media/": "uploads are never served from a folder; they go through access-checked views",
    "api/v1/": "the HTTP API authenticates by token, not session: tests/api/test_api_access.py "
    "walks every API endpoint with each persona's token and anonymously",
}
EXCLUDED_NAMES = {
    "login": "the login page: public by design",
    "logout": "logging out: public by design (POST only; ends whatever session there is)",
    "password_reset": "password reset pages: public by design, for users who cannot log in",
    "password_reset_done": "password reset pages: public by design",
    "password_reset_confirm": "password reset pages: public by design (a signed one-time link)",
    "password_reset_complete": "password reset pages: public by design",
}

# --- Personas and expected statuses --------------------------------------------------------------

ANONYMOUS = "anonymous"
PERSONAS = (
    ANONYMOUS,
    "operator",  # A: owns every object of the world
    "other_operator",  # B: owns nothing of it
    "street_staff",  # 登峰, the world's street
    "desheng_staff",  # 得胜: street-scoped staff of another street
    "district_staff",
    "leader",
    "sysadmin",
    "secadmin",
    "auditor",
)
ADMINS = ("sysadmin", "secadmin", "auditor")
STAFF = ("street_staff", "desheng_staff", "district_staff")

LOGIN = frozenset({302})  # and the Location is the login page: checked separately
OK = frozenset({200})
# The view ran: a page, a redirect after acting, or a form's errors (empty POSTs are invalid).
RAN = frozenset({200, 302, 400})
REFUSED = frozenset({403})
# Refused or hidden: which one is a matter of taste (role check first, or scope check first).
DENIED = frozenset({403, 404})
HIDDEN = frozenset({404})  # out of the user's scope: as if the object did not exist
REDIRECT = frozenset({302})

Expect = dict[str, frozenset[int]]


def expect(default: frozenset[int], **by_persona: frozenset[int]) -> Expect:
    """Statuses per persona: ``default`` for everyone not named; ``admins=`` / ``staff=`` /
    ``operators=`` name groups of personas."""
    groups = {"admins": ADMINS, "staff": STAFF, "operators": ("operator", "other_operator")}
    table = dict.fromkeys(PERSONAS, default)
    for key, statuses in by_persona.items():
        for persona in groups.get(key, (key,)):
            assert persona in table, persona
            table[persona] = statuses
    return table


PUBLIC = expect(OK)
LOGGED_IN = expect(OK, anonymous=LOGIN)
# Lists and figures for staff (each sees their scope) and leaders.
STAFF_READ = expect(REFUSED, anonymous=LOGIN, staff=OK, leader=OK)
# Pages that exist only to change data (intake, imports, their templates): staff only.
STAFF_ONLY = expect(REFUSED, anonymous=LOGIN, staff=OK)
STAFF_ONLY_POST = expect(REFUSED, anonymous=LOGIN, staff=RAN)
# One scoped object: staff of its street and of the district, and leaders.
STAFF_READ_OBJ = expect(
    DENIED,
    anonymous=LOGIN,
    street_staff=OK,
    desheng_staff=HIDDEN,
    district_staff=OK,
    leader=OK,
)


def staff_write_obj(ran: frozenset[int]) -> Expect:
    """Changing one scoped object: staff in scope only; leaders read but never write."""
    return expect(
        DENIED,
        anonymous=LOGIN,
        street_staff=ran,
        desheng_staff=HIDDEN,
        district_staff=ran,
        leader=DENIED,
    )


STAFF_WRITE_GET = staff_write_obj(OK)
STAFF_WRITE_POST = staff_write_obj(RAN)
OPERATOR_PAGE = expect(REFUSED, anonymous=LOGIN, operators=OK)


def operator_own(ran: frozenset[int]) -> Expect:
    """The workspace's pages of one object: its operator only; operator B gets a 404."""
    return expect(DENIED, anonymous=LOGIN, operator=ran, other_operator=HIDDEN)


OPERATOR_OWN_GET = operator_own(OK)
OPERATOR_OWN_POST = operator_own(RAN)
# A file of a unit's records: its operator, staff in scope, leaders.
FILE = expect(
    DENIED,
    anonymous=LOGIN,
    operator=OK,
    other_operator=HIDDEN,
    street_staff=OK,
    desheng_staff=HIDDEN,
    district_staff=OK,
    leader=OK,
)
# The certificate PDF: the unit's operator and staff in scope (leaders have no use for it).
CERTIFICATE = expect(
    DENIED,
    anonymous=LOGIN,
    operator=OK,
    other_operator=HIDDEN,
    street_staff=OK,
    desheng_staff=HIDDEN,
    district_staff=OK,
)
# Recording a finding's rectification: the unit's operator, or staff of the scope for them.
RECTIFY = expect(
    DENIED,
    anonymous=LOGIN,
    operator=RAN,
    other_operator=HIDDEN,
    street_staff=RAN,
    desheng_staff=HIDDEN,
    district_staff=RAN,
)
# A report (举报) or a complaint not forwarded: never shown to the business concerned.
NEVER_TO_OPERATORS = expect(DENIED, anonymous=LOGIN, operators=HIDDEN)

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


# --- The matrix: URL name → how to build its arguments, and who gets what ------------------------

Kwargs = Callable[[World], dict[str, Any]]


def no_kwargs(world: World) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    expected: Expect
    kwargs: Kwargs = no_kwargs
    label: str = ""  # tells apart rows of one name (another object, another kind)


def get(name: str, expected: Expect, kwargs: Kwargs = no_kwargs, label: str = "") -> Row:
    return Row(name, "GET", expected, kwargs, label)


def post(name: str, expected: Expect, kwargs: Kwargs = no_kwargs, label: str = "") -> Row:
    """POST with an empty body: the access check comes first, then the form refuses it."""
    return Row(name, "POST", expected, kwargs, label)


def unit_pk(w: World) -> dict[str, Any]:
    return {"pk": w.unit.pk}


def block_member(w: World) -> dict[str, Any]:
    return {"pk": w.extra["block"].pk, "unit_pk": w.unit.pk}


def objection_keys(w: World) -> dict[str, Any]:
    return {"pk": w.extra["renewal"].pk, "objection_pk": w.extra["objection"].pk}


def public_id(w: World) -> dict[str, Any]:
    return {"public_id": w.unit.public_id}


def complaint_pk(w: World) -> dict[str, Any]:
    return {"pk": w.complaint.pk}


def report_pk(w: World) -> dict[str, Any]:
    return {"pk": w.report.pk}


def record(kind: str) -> Kwargs:
    return lambda w: {"kind": kind, "pk": w.records[kind].pk}


def record_kind(kind: str) -> Kwargs:
    return lambda w: {"kind": kind}


REGISTER_PAGE = expect(REDIRECT, anonymous=OK)  # logged-in users are sent home
RECORD_KINDS = ("penalties", "listings", "incidents")

MATRIX: list[Row] = [
    # lyushunkou
    get("home", PUBLIC),  # the front door; the workbench for a logged-in user
    get("notice-detail", PUBLIC, lambda w: {"pk": w.extra["notice"].pk}),
    get(
        "notice-attachment",
        PUBLIC,
        lambda w: {"pk": w.extra["notice"].attachments.get().pk},
    ),
    get("notice-manage", STAFF_ONLY),
    get("notice-new", STAFF_ONLY),
    get("notice-edit", STAFF_ONLY, lambda w: {"pk": w.extra["notice"].pk}),
    # GET only: the confirmation page. Its POST deletes, which the world cannot afford mid-matrix
    # (tests/test_home.py deletes one).
    get("notice-delete", STAFF_ONLY, lambda w: {"pk": w.extra["notice"].pk}),
    get("healthz", PUBLIC),
    get("jurisdiction-list", STAFF_READ),
    get("jurisdiction-detail", STAFF_READ_OBJ, lambda w: {"code": DENGFENG}),
    get("password_change", LOGGED_IN),
    post("password_change", expect(OK, anonymous=LOGIN)),  # the form's errors, status 200
    get("password_change_done", LOGGED_IN),
    get("otp-setup", LOGGED_IN),
    post("otp-setup", expect(OK, anonymous=LOGIN)),  # the form's errors, status 200
    get("otp-verify", expect(REDIRECT, anonymous=LOGIN)),  # no device yet: sent to set-up
    # Backup codes: no persona has an authenticator app, so each is sent to set one up first.
    get("otp-backup-codes", expect(REDIRECT, anonymous=LOGIN)),
    post("otp-backup-regenerate", expect(REDIRECT, anonymous=LOGIN)),
    post("otp-backup-download", expect(REDIRECT, anonymous=LOGIN)),
    get("notification-list", LOGGED_IN),
    post("notification-mark-all-read", expect(REDIRECT, anonymous=LOGIN)),
    # units: public
    get("plaque", PUBLIC, public_id),
    get("plaque-print", PUBLIC, public_id),
    get("plaque-qr", PUBLIC, lambda w: {"public_id": w.unit.public_id, "fmt": "svg"}),
    get("plaque-qr", PUBLIC, lambda w: {"public_id": w.unit.public_id, "fmt": "png"}, "png"),
    get("directory", PUBLIC),
    get("notice-list", PUBLIC),
    get("objection-new", PUBLIC, lambda w: {"pk": w.extra["objection"].notice_id}),
    post("objection-new", PUBLIC, lambda w: {"pk": w.extra["objection"].notice_id}),
    get("block-list", PUBLIC),
    get("block-detail", PUBLIC, lambda w: {"pk": w.extra["block"].pk}),
    get("industry-detail", PUBLIC, lambda w: {"pk": w.extra["industry"].pk}),
    get("register", REGISTER_PAGE),
    post("register", REGISTER_PAGE),
    # units: staff
    get("unit-list", STAFF_READ),
    get("unit-export", STAFF_READ, lambda w: {"fmt": "xlsx"}),
    get("unit-export", STAFF_READ, lambda w: {"fmt": "csv"}, "csv"),
    get("unit-import", STAFF_ONLY),
    post("unit-import", STAFF_ONLY_POST),
    get("unit-import-template", STAFF_ONLY),
    get("claim-list", STAFF_ONLY),
    post("claim-decide", STAFF_WRITE_POST, lambda w: {"pk": w.claim.pk}),
    get("claim-licence", STAFF_WRITE_GET, lambda w: {"pk": w.claim.pk}),
    get("claim-code-issue", STAFF_WRITE_GET, unit_pk),
    post("claim-code-issue", STAFF_WRITE_POST, unit_pk),
    get("unit-detail", STAFF_READ_OBJ, unit_pk),
    get("unit-status", STAFF_WRITE_GET, unit_pk),
    post("unit-status", STAFF_WRITE_POST, unit_pk),
    # units: demonstration blocks (members managed by staff in scope)
    get("block-staff-list", STAFF_READ),
    get("block-staff-detail", STAFF_READ_OBJ, lambda w: {"pk": w.extra["block"].pk}),
    post("block-units-add", STAFF_WRITE_POST, lambda w: {"pk": w.extra["block"].pk}),
    get("block-unit-remove", STAFF_WRITE_GET, block_member),
    post("block-unit-remove", STAFF_WRITE_POST, block_member),
    # units: review of demonstration applications
    get("application-list", STAFF_READ),
    get("application-detail", STAFF_READ_OBJ, lambda w: {"pk": w.application.pk}),
    post(
        "application-action",
        STAFF_WRITE_POST,
        lambda w: {"pk": w.application.pk, "action": "start_review"},
    ),
    post(
        "commitment-verify",
        STAFF_WRITE_POST,
        lambda w: {"pk": w.unit.pk, "kind": "first_ask"},
    ),
    post("station-verify", STAFF_WRITE_POST, lambda w: {"pk": w.unit.pk}),
    # units: the public notice's objections, issuing and downloading the certificate
    post("objection-resolve", STAFF_WRITE_POST, objection_keys),
    post("objection-unmask", STAFF_WRITE_POST, objection_keys),
    post("certificate-issue", STAFF_WRITE_POST, lambda w: {"pk": w.extra["renewal"].pk}),
    get("certificate-download", CERTIFICATE, lambda w: {"pk": w.application.pk}),
    # units: the operator workspace
    get("workspace", OPERATOR_PAGE),
    get("workspace-unit", OPERATOR_OWN_GET, unit_pk),
    post("workspace-unit", OPERATOR_OWN_POST, unit_pk),
    get("workspace-commitments", OPERATOR_OWN_GET, unit_pk),
    post("workspace-commitments", OPERATOR_OWN_POST, unit_pk),
    get("workspace-station", OPERATOR_OWN_GET, unit_pk),
    post("workspace-station", OPERATOR_OWN_POST, unit_pk),
    post("evidence-upload", OPERATOR_OWN_POST, unit_pk),
    get("application-new", OPERATOR_OWN_GET, unit_pk),
    post("application-new", OPERATOR_OWN_POST, unit_pk),
    get("workspace-application", OPERATOR_OWN_GET, lambda w: {"pk": w.application.pk}),
    post("workspace-application", OPERATOR_OWN_POST, lambda w: {"pk": w.application.pk}),
    get("evidence-download", FILE, lambda w: {"pk": w.evidence.pk}),
    # complaints: staff
    get("complaint-list", STAFF_READ),
    get("complaint-new", STAFF_ONLY),
    post("complaint-new", STAFF_ONLY_POST),
    get("complaint-import", STAFF_ONLY),
    post("complaint-import", STAFF_ONLY_POST),
    get("complaint-import-template", STAFF_ONLY),
    get("complaint-export", STAFF_READ, lambda w: {"fmt": "xlsx"}),
    get("complaint-export", STAFF_READ, lambda w: {"fmt": "csv"}, "csv"),
    get("complaint-detail", STAFF_READ_OBJ, complaint_pk),
    get("complaint-detail", STAFF_READ_OBJ, report_pk, "report"),
    get("complaint-unmask", STAFF_WRITE_GET, complaint_pk),
    post("complaint-unmask", STAFF_WRITE_POST, complaint_pk),
    post(
        "complaint-action", STAFF_WRITE_POST, lambda w: {"pk": w.complaint.pk, "action": "accept"}
    ),
    get("survey-entry", STAFF_ONLY),
    post("survey-entry", STAFF_ONLY_POST),
    get("survey-list", STAFF_READ),
    get("survey-export", STAFF_READ, lambda w: {"fmt": "xlsx"}),
    get("survey-export", STAFF_READ, lambda w: {"fmt": "csv"}, "csv"),
    # complaints: the operator's ODR pages
    get("workspace-complaints", OPERATOR_PAGE),
    get("workspace-complaint", OPERATOR_OWN_GET, complaint_pk),
    post("workspace-complaint", OPERATOR_OWN_POST, complaint_pk),
    get("workspace-complaint", NEVER_TO_OPERATORS, report_pk, "report"),
    # complaints: public
    get("complaint-callback", PUBLIC, lambda w: {"token": w.token}),
    post("complaint-callback", expect(frozenset({400})), lambda w: {"token": w.token}),
    get("survey", PUBLIC),
    post("survey", expect(frozenset({400}))),
    # inspections: sampling
    get("sampling-list", STAFF_READ),
    get("sampling-export", STAFF_READ, lambda w: {"fmt": "xlsx"}),
    get("sampling-import", STAFF_ONLY),
    post("sampling-import", STAFF_ONLY_POST),
    get("sampling-import-template", STAFF_ONLY),
    # a background import job: its uploader's alone (street_staff in the world)
    get(
        "import-job",
        expect(
            REFUSED, anonymous=LOGIN, street_staff=OK, desheng_staff=HIDDEN, district_staff=HIDDEN
        ),
        lambda w: {"pk": w.import_job.pk},
    ),
    get("sampling-balance", STAFF_READ),
    get("sampling-new", STAFF_ONLY),
    post("sampling-new", STAFF_ONLY_POST),
    get("sampling-figures", STAFF_READ),
    get("sampling-detail", STAFF_READ_OBJ, lambda w: {"pk": w.batch.pk}),
    post("sampling-link", STAFF_WRITE_POST, lambda w: {"pk": w.batch.pk}),
    post("sampling-action", STAFF_WRITE_POST, lambda w: {"pk": w.batch.pk, "action": "notify"}),
    # inspections: on-site checks and findings
    get("check-list", STAFF_READ),
    get("check-new", STAFF_WRITE_GET, lambda w: {"unit_pk": w.unit.pk}),
    post("check-new", STAFF_WRITE_POST, lambda w: {"unit_pk": w.unit.pk}),
    get("check-detail", STAFF_READ_OBJ, lambda w: {"pk": w.check.pk}),
    get("check-item-photo", FILE, lambda w: {"pk": w.item.pk}),
    get("finding-list", STAFF_READ),
    get("finding-evidence", FILE, lambda w: {"pk": w.finding.pk}),
    post("finding-rectify", RECTIFY, lambda w: {"pk": w.finding.pk}),
    post("finding-confirm", STAFF_WRITE_POST, lambda w: {"pk": w.finding.pk}),
    # inspections: penalties, dishonest listings, safety incidents
    *(get("record-list", STAFF_READ, record_kind(k), k) for k in RECORD_KINDS),
    *(
        post(
            "record-list",
            expect(REFUSED, anonymous=LOGIN, staff=RAN),
            record_kind(k),
            k,
        )
        for k in RECORD_KINDS
    ),
    *(get("record-edit", STAFF_WRITE_GET, record(k), k) for k in RECORD_KINDS),
    *(post("record-edit", STAFF_WRITE_POST, record(k), k) for k in RECORD_KINDS),
]
# The scoring app's pages: each part module has build(...) → World.extra entries and rows(m).
MATRIX += [row for part in SCORING_PARTS for row in part.rows(sys.modules[__name__])]

# --- Walking the resolver ------------------------------------------------------------------------


def walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, str | None]]:
    """Every (full route, name) below ``patterns``, includes followed."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.name


def project_patterns() -> list[tuple[str, str | None]]:
    return [
        (route, name)
        for route, name in walk(get_resolver().url_patterns)
        if not route.lstrip("^").startswith(tuple(EXCLUDED_PREFIXES)) and name not in EXCLUDED_NAMES
    ]


def test_every_url_pattern_is_in_the_access_matrix() -> None:
    problems = []
    in_matrix = {row.name for row in MATRIX}
    names = set()
    for route, name in project_patterns():
        if name is None:
            problems.append(f"{route}: give the pattern a name and add it to the access matrix")
            continue
        names.add(name)
        if name not in in_matrix:
            problems.append(f"add {name} ({route}) to the access matrix")
    for name in sorted(in_matrix - names):
        problems.append(f"{name} is in the access matrix but no longer a URL pattern: remove it")
    assert problems == [], "\n".join(problems)


def test_the_exclusions_are_still_there() -> None:
    # An exclusion that matches nothing is a hole waiting to be filled by an unrelated view.
    routes = list(walk(get_resolver().url_patterns))
    for prefix in ("admin/", "i18n/"):
        assert any(route.startswith(prefix) for route, _ in routes), prefix
    names = {name for _, name in routes}
    assert set(EXCLUDED_NAMES) <= names


# --- Walking the matrix --------------------------------------------------------------------------


@dataclass
class Stage:
    """The world and a logged-in client per persona, shared by every row's test."""

    world: World
    clients: dict[str, Client]


@pytest.fixture(scope="module")
def stage(
    django_db_setup: None,
    django_db_blocker: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Stage]:
    """The world is built once per module (and per xdist worker) inside a transaction rolled back
    at the end, as Django's ``TestCase.setUpTestData`` does; each row's test runs in a savepoint
    of it (pytest-django's own per-test transaction), so no row sees another row's changes."""
    media = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("matrix-media"),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    # On the suite's frozen clock, as the rows' requests are (tests/conftest.py).
    with django_db_blocker.unblock(), media, time_machine.travel(FROZEN_NOW, tick=True):
        outer = transaction.atomic()
        outer.__enter__()
        # Marked like TestCase's own atomic blocks, so durable blocks may nest inside it.
        outer._from_testcase = True  # type: ignore[attr-defined]
        try:
            users = {name: make_persona(name) for name in CONFTEST_PERSONAS}
            users["desheng_staff"] = make_user(
                "ivan", Role.STAFF, Jurisdiction.objects.get(code=DESHENG), full_name="得胜所人员壬"
            )
            dengfeng = Jurisdiction.objects.get(code=DENGFENG)
            world = build_world(
                unit=make_dengfeng_restaurant(users["operator"], dengfeng),
                dengfeng=dengfeng,
                operator=users["operator"],
                other_operator=users["other_operator"],
                staff=users["street_staff"],
            )
            clients = {name: client_for(users[name]) for name in PERSONAS if name != ANONYMOUS}
            clients[ANONYMOUS] = Client()
            yield Stage(world, clients)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _describe(response: Any) -> str:
    if response.status_code in (301, 302):
        return f"{response.status_code} → {response['Location']}"
    return str(response.status_code)


def _row_id(row: Row) -> str:
    return f"{row.method} {row.name}" + (f" [{row.label}]" if row.label else "")


@pytest.mark.parametrize("row", MATRIX, ids=_row_id)
def test_every_url_answers_every_persona_as_expected(stage: Stage, row: Row) -> None:
    assert set(row.expected) == set(PERSONAS)
    url = reverse(row.name, kwargs=row.kwargs(stage.world))
    login = reverse("login")
    mismatches = []
    for persona in PERSONAS:
        client = stage.clients[persona]
        response = client.get(url) if row.method == "GET" else client.post(url, {})
        if getattr(response, "streaming", False):
            # Read it as a browser would: the test client then closes it safely (a bare
            # response.close() fires request_finished, which closes the DB connection).
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
        expected = row.expected[persona]
        wrong = response.status_code not in expected
        if expected is LOGIN and not wrong:
            wrong = not response["Location"].startswith(login)
        if wrong:
            mismatches.append(
                f"{persona}: got {_describe(response)}, expected {sorted(expected)}"
                + (" to the login page" if expected is LOGIN else "")
            )
    assert mismatches == [], "\n".join(mismatches)


def test_the_matrix_rows_have_distinct_names() -> None:
    # Each row is its own test: two rows of one id would be told apart only by pytest's suffix.
    ids = [_row_id(row) for row in MATRIX]
    assert len(ids) == len(set(ids))


# --- Views reach the database only through access helpers and selectors ---------------------------


def test_no_view_module_uses_a_model_manager() -> None:
    # STYLE.md habit 1, stricter than tests/test_access.py: no `.objects.` at all in a view module,
    # so neither a scoped fetch nor a create or count bypasses the access helpers and services.
    offenders = []
    for path in sorted(ROOT.glob("*/views*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\.objects\.", line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "\n".join(offenders)


def test_the_view_grep_sees_every_app() -> None:
    apps = {path.parent.name for path in ROOT.glob("*/views*.py")}
    assert {"lyushunkou", "units", "complaints", "inspections"} <= apps
