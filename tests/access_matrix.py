"""The access matrix (tests/test_access_matrix.py): the personas, the statuses each may get, and
``MATRIX``, a row per URL name saying how to build its arguments from the fixture world
(tests/access_matrix_world.py) and who gets what. The apps' part modules build their rows from
this module's ``get``, ``post``, ``expect`` and statuses."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.access_matrix_world import SCORING_PARTS, World
from tests.conftest import (
    DENGFENG,
)

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
