"""Operator self-registration and workspace: per view, per role."""

from __future__ import annotations

import random

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from lyushunkou.credit_codes import generate_credit_code
from lyushunkou.models import AuditEvent, Jurisdiction, Role, User
from tests.conftest import client_for
from tests.units.helpers import submitted_application
from units.models import ApplicationStatus, Commitment, EvidenceFile, Unit, UnitClaim

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def registration(dengfeng: Jurisdiction, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "username": "newshop",
        "full_name": "赵六",
        "phone": "13700001111",
        "email": "",
        "password1": "Lvshun-Shop-2026",
        "password2": "Lvshun-Shop-2026",
        "credit_code": generate_credit_code(random.Random(99)),
        "name": "赵六水果店",
        "industry": "retail",
        "jurisdiction": dengfeng.pk,
        "address": "辽宁省大连市旅顺口区登峰街道黄河路9号",
        "legal_representative": "赵六",
        "licence": SimpleUploadedFile("营业执照.pdf", PDF, content_type="application/pdf"),
        "website": "",
    }
    data.update(overrides)
    return data


def test_a_new_operator_registers_a_new_unit_unverified(
    client: Client, dengfeng: Jurisdiction
) -> None:
    response = client.post(reverse("register"), registration(dengfeng))
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace")
    user = User.objects.get(username="newshop")
    assert user.role == Role.OPERATOR
    unit = Unit.objects.get(owner=user)
    assert unit.name == "赵六水果店"
    assert unit.kind == "enterprise"
    assert unit.verified_at is None  # until staff confirm the licence
    claim = UnitClaim.objects.get(unit=unit)
    assert (claim.kind, claim.status, claim.licence_type) == ("new", "pending", "application/pdf")
    assert client.get(reverse("workspace")).status_code == 200


def test_a_pasted_full_width_code_is_normalised(client: Client, dengfeng: Jurisdiction) -> None:
    code = generate_credit_code(random.Random(7))
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code.lower())
    client.post(reverse("register"), registration(dengfeng, credit_code=f" {full_width} "))
    assert Unit.objects.filter(credit_code=code).exists()


@pytest.mark.parametrize(
    ("code", "message"),
    [("91210212MA0Y3QX1", "18"), ("9121021229141777L0", "校验位"), ("91210212MA0Y3QXO3L", "O")],
)
def test_a_bad_credit_code_gets_a_field_error_and_nothing_is_created(
    client: Client, dengfeng: Jurisdiction, code: str, message: str
) -> None:
    response = client.post(reverse("register"), registration(dengfeng, credit_code=code))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["credit_code"])
    assert not User.objects.filter(username="newshop").exists()


def test_registering_an_unowned_units_code_is_a_claim_for_staff(
    client: Client, unit: Unit, dengfeng: Jurisdiction
) -> None:
    Unit.objects.filter(pk=unit.pk).update(owner=None)
    client.post(
        reverse("register"),
        registration(dengfeng, credit_code=unit.credit_code, name="", legal_representative="张三"),
    )
    unit.refresh_from_db()
    assert unit.owner is None  # knowing the code granted nothing
    claim = UnitClaim.objects.get(unit=unit)
    assert (claim.claimant.username, claim.status) == ("newshop", "pending")


def test_claiming_an_owned_unit_goes_to_staff_not_silently(
    client: Client, unit: Unit, operator: User, dengfeng: Jurisdiction, street_staff: User
) -> None:
    response = client.post(
        reverse("register"),
        registration(dengfeng, credit_code=unit.credit_code, legal_representative="张三"),
        follow=True,
    )
    unit.refresh_from_db()
    assert unit.owner == operator
    claim = UnitClaim.objects.get(unit=unit)
    assert claim.claimant.username == "newshop"
    assert claim.status == "pending"
    assert "审核" in response.content.decode() or "审查" in response.content.decode()


def test_the_honeypot_refuses_bots(client: Client, dengfeng: Jurisdiction) -> None:
    response = client.post(reverse("register"), registration(dengfeng, website="http://spam"))
    assert response.status_code == 200
    assert not User.objects.filter(username="newshop").exists()


def test_registration_is_rate_limited_per_address(client: Client, dengfeng: Jurisdiction) -> None:
    for number in range(5):
        client.post(
            reverse("register"), registration(dengfeng, username=f"u{number}", password2="x")
        )
    response = client.post(reverse("register"), registration(dengfeng))
    assert response.status_code == 200
    assert not User.objects.filter(username="newshop").exists()
    assert AuditEvent.objects.filter(action="auth.register_throttled").exists()


def test_a_new_unit_needs_its_details(client: Client, dengfeng: Jurisdiction) -> None:
    response = client.post(reverse("register"), registration(dengfeng, name="", address=""))
    errors = response.context["form"].errors
    assert "name" in errors
    assert "address" in errors


@pytest.mark.parametrize("persona", ["district_staff", "leader", "sysadmin", "auditor"])
def test_only_operators_have_a_workspace(
    persona: str, request: pytest.FixtureRequest, unit: Unit
) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("workspace")).status_code == 403
    assert client.get(reverse("workspace-unit", args=[unit.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client: Client, unit: Unit) -> None:
    for name in ("workspace-unit", "workspace-commitments", "workspace-station", "application-new"):
        assert client.get(reverse(name, args=[unit.pk])).status_code == 302


def test_an_operator_cannot_open_another_operators_unit(operator: User, other_unit: Unit) -> None:
    client = client_for(operator)
    for name in ("workspace-unit", "workspace-commitments", "workspace-station", "application-new"):
        assert client.get(reverse(name, args=[other_unit.pk])).status_code == 404
    assert AuditEvent.objects.filter(actor=operator, action="access.denied").count() == 4


def test_the_operator_edits_the_profile(operator: User, unit: Unit) -> None:
    client = client_for(operator)
    form = client.get(reverse("workspace-unit", args=[unit.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(name="旅顺老街海鲜酒楼", version=unit.version, jurisdiction="")
    response = client.post(reverse("workspace-unit", args=[unit.pk]), data)
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "旅顺老街海鲜酒楼"


def test_a_stale_profile_form_is_refused(operator: User, unit: Unit) -> None:
    client = client_for(operator)
    form = client.get(reverse("workspace-unit", args=[unit.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    Unit.objects.filter(pk=unit.pk).update(version=unit.version + 1)  # someone else saved
    data.update(name="覆盖的名字", version=unit.version)
    response = client.post(reverse("workspace-unit", args=[unit.pk]), data)
    assert response.status_code == 200
    assert (
        "其他人" in response.content.decode() or "someone else" in response.content.decode().lower()
    )
    unit.refresh_from_db()
    assert unit.name == "旅顺老街海鲜馆"


def test_commitments_are_recorded_one_per_kind(operator: User, unit: Unit) -> None:
    client = client_for(operator)
    url = reverse("workspace-commitments", args=[unit.pk])
    response = client.post(
        url,
        {
            "kind": "return",
            "return-content": "七日无理由退货",
            "return-return_scope": "除生鲜食品外的商品",
            "return-active": "on",
        },
    )
    assert response.status_code == 200  # no days: the form says so
    assert "return_days" in dict(response.context["forms"][3][2].errors)
    client.post(
        url,
        {
            "kind": "return",
            "return-content": "七日无理由退货",
            "return-return_days": "7",
            "return-return_scope": "除生鲜食品外的商品",
            "return-active": "on",
        },
    )
    client.post(
        url, {"kind": "first_ask", "first_ask-content": "首问负责", "first_ask-active": "on"}
    )
    assert set(unit.commitments.values_list("kind", flat=True)) == {
        Commitment.Kind.NO_REASON_RETURN,
        Commitment.Kind.FIRST_ASK,
    }
    assert unit.commitments.get(kind="return").return_days == 7


def test_the_operator_registers_a_station(operator: User, unit: Unit) -> None:
    client = client_for(operator)
    response = client.post(
        reverse("workspace-station", args=[unit.pk]),
        {
            "contact_person": "李四",
            "phone": "0411-86201234",
            "hours": "9:00-17:00",
            "location": "一楼服务台",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert unit.station.contact_person == "李四"


def test_evidence_uploads_are_checked_and_served_only_to_those_allowed(
    operator: User,
    other_operator: User,
    street_staff: User,
    leader: User,
    unit: Unit,
    media_root: object,
) -> None:
    client = client_for(operator)
    url = reverse("evidence-upload", args=[unit.pk])
    client.post(url, {"file": SimpleUploadedFile("台账.pdf", PDF, "application/pdf")})
    client.post(
        url, {"file": SimpleUploadedFile("evil.pdf", b"#!/bin/sh\nrm -rf /\n", "application/pdf")}
    )
    client.post(
        url, {"file": SimpleUploadedFile("photo.png", PDF, "image/png")}
    )  # a PDF in disguise
    client.post(url, {"file": SimpleUploadedFile("run.exe", PDF, "application/pdf")})
    evidence = EvidenceFile.objects.get()
    assert evidence.original_name == "台账.pdf"
    assert EvidenceFile.objects.count() == 1
    download = reverse("evidence-download", args=[evidence.pk])
    assert client.get(download).status_code == 200
    assert client_for(street_staff).get(download).status_code == 200
    assert client_for(leader).get(download).status_code == 200
    assert client_for(other_operator).get(download).status_code == 404
    assert Client().get(download).status_code == 302


def test_oversized_uploads_are_refused(
    operator: User, unit: Unit, settings: object, media_root: object
) -> None:
    settings.UPLOAD_MAX_BYTES = 100  # type: ignore[attr-defined]
    response = client_for(operator).post(
        reverse("evidence-upload", args=[unit.pk]),
        {"file": SimpleUploadedFile("big.png", PNG + b"\x00" * 200, "image/png")},
        follow=True,
    )
    assert EvidenceFile.objects.count() == 0
    assert "上限" in response.content.decode() or "limit" in response.content.decode()


def test_the_operator_drafts_and_submits_an_application(operator: User, unit: Unit) -> None:
    client = client_for(operator)
    client.post(
        reverse("workspace-commitments", args=[unit.pk]),
        {"kind": "first_ask", "first_ask-content": "首问负责", "first_ask-active": "on"},
    )
    response = client.post(
        reverse("application-new", args=[unit.pk]),
        {"year": "2026", "statement": "", "commitments_confirmed": ""},
    )
    application = unit.applications.get()
    assert response["Location"] == reverse("workspace-application", args=[application.pk])
    page = reverse("workspace-application", args=[application.pk])
    response = client.post(
        page,
        {
            "statement": "自评达标",
            "commitments_confirmed": "on",
            "version": application.version,
            "action": "submit",
        },
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_a_submitted_application_cannot_be_edited_by_the_operator(
    operator: User, unit: Unit
) -> None:
    application = submitted_application(unit, operator)
    client = client_for(operator)
    client.post(
        reverse("workspace-application", args=[application.pk]),
        {"statement": "改掉", "commitments_confirmed": "on", "version": application.version},
    )
    application.refresh_from_db()
    assert application.statement != "改掉"


def test_evidence_can_back_a_particular_commitment(
    operator: User, unit: Unit, other_unit: Unit, media_root: object
) -> None:
    from tests.units.helpers import commit

    commit(unit, operator)
    commit(other_unit, operator)
    mine, theirs = unit.commitments.get(), other_unit.commitments.get()
    client = client_for(operator)
    url = reverse("evidence-upload", args=[unit.pk])
    client.post(url, {"file": SimpleUploadedFile("制度.pdf", PDF), "commitment": theirs.pk})
    assert EvidenceFile.objects.count() == 0  # another unit's commitment is not a valid choice
    client.post(url, {"file": SimpleUploadedFile("制度.pdf", PDF), "commitment": mine.pk})
    assert EvidenceFile.objects.get().commitment == mine


def test_the_system_administrator_manages_demonstration_blocks(sysadmin: User) -> None:
    client = client_for(sysadmin)
    assert client.get(reverse("admin:units_demonstrationblock_changelist")).status_code == 200
    assert client.get(reverse("admin:units_demonstrationindustry_add")).status_code == 200
