"""Who may act for a business (issue 12 item 1; DESIGN.md §5, owners of units).

The finding: a stranger typed a certified restaurant's credit code (printed on its public plaque)
at registration and changed its public 12315 contact within a minute.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lyushunkou.credit_codes import generate_credit_code
from lyushunkou.models import AuditEvent, Jurisdiction, Notification, User
from tests.conftest import client_for
from tests.units.helpers import commit
from units import services, services_claims
from units.models import ClaimCode, ContactChange, DemonstrationStatus, Unit, UnitClaim

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def licence(name: str = "营业执照.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def registration(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "username": "stranger",
        "full_name": "陌生人",
        "phone": "13700002222",
        "email": "",
        "password1": "Lvshun-Shop-2026",
        "password2": "Lvshun-Shop-2026",
        "legal_representative": "张三",
        "licence": licence(),
        "website": "",
    }
    data.update(overrides)
    return data


def register(client: Client, **overrides: Any) -> Any:
    return client.post(reverse("register"), registration(**overrides), follow=True)


@pytest.fixture
def certified(unit: Unit) -> Unit:
    Unit.objects.filter(pk=unit.pk).update(
        demonstration_status=DemonstrationStatus.APPROVED,
        certificate_no="LSK-FXXF-2026-00001",
        certified_from=timezone.localdate(),
        certified_until=timezone.localdate() + dt.timedelta(days=364),
    )
    unit.refresh_from_db()
    return unit


# --- Registering with a code already in the register ------------------------------------------


def test_a_stranger_registering_an_existing_code_gets_a_pending_claim_and_no_access(
    client: Client, certified: Unit, operator: User, street_staff: User
) -> None:
    response = register(client, credit_code=certified.credit_code)
    assert response.status_code == 200
    stranger = User.objects.get(username="stranger")
    certified.refresh_from_db()
    assert certified.owner == operator
    claim = UnitClaim.objects.get(unit=certified, claimant=stranger)
    assert (claim.kind, claim.status) == ("existing", "pending")
    # No access to the unit, its profile or its station.
    workspace = client.get(reverse("workspace"))
    assert certified.name not in [unit.name for unit in workspace.context["units"]]
    assert client.get(reverse("workspace-unit", args=[certified.pk])).status_code == 404
    # Staff of the street are told.
    assert Notification.objects.filter(user=street_staff, link=reverse("claim-list")).exists()
    assert AuditEvent.objects.filter(action="unit.claim_requested", actor=stranger).exists()


def test_a_mismatched_legal_representative_is_refused_and_nothing_is_created(
    client: Client, certified: Unit
) -> None:
    response = register(client, credit_code=certified.credit_code, legal_representative="李四")
    form = response.context["form"]
    assert "法定代表人" in " ".join(form.errors["legal_representative"])
    assert not User.objects.filter(username="stranger").exists()
    assert not UnitClaim.objects.exists()


def test_a_licence_that_is_not_a_pdf_jpg_or_png_is_refused(client: Client, certified: Unit) -> None:
    response = register(
        client,
        credit_code=certified.credit_code,
        licence=SimpleUploadedFile("licence.docx", b"PK\x03\x04 not a licence"),
    )
    assert response.context["form"].errors["licence"]
    assert not User.objects.filter(username="stranger").exists()


def test_a_claim_needs_a_licence(client: Client, certified: Unit) -> None:
    data = registration(credit_code=certified.credit_code)
    del data["licence"]
    response = client.post(reverse("register"), data)
    assert "licence" in response.context["form"].errors
    assert not User.objects.filter(username="stranger").exists()


def test_staff_approve_the_claim_after_checking_the_licence(
    client: Client, certified: Unit, operator: User, street_staff: User
) -> None:
    register(client, credit_code=certified.credit_code)
    claim = UnitClaim.objects.get(unit=certified)
    staff = client_for(street_staff)
    listing = staff.get(reverse("claim-list")).content.decode()
    assert reverse("claim-licence", args=[claim.pk]) in listing
    licence_file = staff.get(reverse("claim-licence", args=[claim.pk]))
    assert b"".join(licence_file.streaming_content) == PDF  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(action="unit.claim_licence_viewed").exists()

    staff.post(reverse("claim-decide", args=[claim.pk]), {"decision": "approve", "note": ""})
    certified.refresh_from_db()
    stranger = User.objects.get(username="stranger")
    assert certified.owner == stranger
    assert Notification.objects.filter(user=stranger, key=f"claim:{claim.pk}:decided").exists()
    assert Notification.objects.filter(user=operator).exists()  # the replaced operator is told


def test_the_licence_is_for_staff_in_scope_only(
    client: Client,
    certified: Unit,
    operator: User,
    leader: User,
    desheng_staff: User,
) -> None:
    register(client, credit_code=certified.credit_code)
    url = reverse("claim-licence", args=[UnitClaim.objects.get().pk])
    assert client_for(operator).get(url).status_code == 403
    assert client_for(leader).get(url).status_code == 403
    assert client_for(desheng_staff).get(url).status_code == 404
    assert Client().get(url).status_code == 302


@pytest.fixture
def desheng_staff(desheng: Jurisdiction) -> User:
    from tests.conftest import make_user

    return make_user("ivan", "staff", desheng, full_name="得胜所人员壬")


# --- Claim codes ---------------------------------------------------------------------------------


def test_staff_print_a_claim_code_that_grants_the_claim_at_once(
    client: Client, certified: Unit, operator: User, street_staff: User
) -> None:
    staff = client_for(street_staff)
    assert staff.get(reverse("claim-code-issue", args=[certified.pk])).status_code == 200
    issued = staff.post(reverse("claim-code-issue", args=[certified.pk]))
    code = issued.context["code"]
    assert code in issued.content.decode()
    assert not ClaimCode.objects.filter(digest__contains=code).exists()  # only a digest is kept

    data = registration(credit_code=certified.credit_code, claim_code=code.lower())
    del data["licence"]
    client.post(reverse("register"), data)
    certified.refresh_from_db()
    assert certified.owner is not None
    assert certified.owner.username == "stranger"
    record = ClaimCode.objects.get()
    assert record.used_by == certified.owner
    assert Notification.objects.filter(user=operator).exists()


def test_a_used_claim_code_is_refused(client: Client, certified: Unit, street_staff: User) -> None:
    code, record = services_claims.claim_code_issue(unit=certified, by=street_staff)
    ClaimCode.objects.filter(pk=record.pk).update(used_at=timezone.now())
    data = registration(credit_code=certified.credit_code, claim_code=code)
    del data["licence"]
    response = client.post(reverse("register"), data)
    assert "已被使用" in " ".join(response.context["form"].errors["claim_code"])
    assert not User.objects.filter(username="stranger").exists()


def test_an_expired_claim_code_is_refused(
    client: Client, certified: Unit, street_staff: User
) -> None:
    long_ago = timezone.now() - dt.timedelta(days=31)
    code, _record = services_claims.claim_code_issue(unit=certified, by=street_staff, now=long_ago)
    data = registration(credit_code=certified.credit_code, claim_code=code)
    del data["licence"]
    response = client.post(reverse("register"), data)
    assert "过期" in " ".join(response.context["form"].errors["claim_code"])
    certified.refresh_from_db()
    assert certified.owner is not None
    assert certified.owner.username != "stranger"


def test_a_claim_code_for_another_unit_is_refused(
    client: Client, certified: Unit, other_unit: Unit, street_staff: User
) -> None:
    code, _record = services_claims.claim_code_issue(unit=other_unit, by=street_staff)
    data = registration(credit_code=certified.credit_code, claim_code=code)
    del data["licence"]
    response = client.post(reverse("register"), data)
    assert response.context["form"].errors["claim_code"]
    assert not ClaimCode.objects.filter(used_at__isnull=False).exists()


@pytest.mark.parametrize("persona", ["leader", "operator", "desheng_staff"])
def test_only_staff_in_scope_issue_claim_codes(
    persona: str, request: pytest.FixtureRequest, certified: Unit
) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.post(reverse("claim-code-issue", args=[certified.pk])).status_code in (403, 404)
    assert not ClaimCode.objects.exists()


# --- A brand-new code -----------------------------------------------------------------------------


def test_a_new_code_creates_an_unverified_unit_that_cannot_apply_until_staff_confirm(
    client: Client, dengfeng: Jurisdiction, street_staff: User
) -> None:
    code = generate_credit_code(random.Random(4242))
    register(
        client,
        credit_code=code,
        name="新开水果店",
        industry="retail",
        jurisdiction=dengfeng.pk,
        address="辽宁省大连市旅顺口区登峰街道黄河路88号",
        legal_representative="赵六",
    )
    unit = Unit.objects.get(credit_code=code)
    stranger = User.objects.get(username="stranger")
    assert unit.owner == stranger
    assert unit.verified_at is None
    commit(unit, stranger)
    with pytest.raises(ValidationError):
        services.application_create(
            unit=unit,
            by=stranger,
            year=2026,
            statement="自评",
            commitments_confirmed=True,
        )
    claim = UnitClaim.objects.get(unit=unit)
    assert claim.kind == "new"
    client_for(street_staff).post(
        reverse("claim-decide", args=[claim.pk]), {"decision": "approve", "note": ""}
    )
    unit.refresh_from_db()
    assert unit.verified_at is not None
    application = services.application_create(
        unit=unit,
        by=stranger,
        year=2026,
        statement="自评",
        commitments_confirmed=True,
    )
    assert application.pk


def test_an_unverified_unit_has_no_public_plaque_even_if_its_status_says_so(
    client: Client, certified: Unit
) -> None:
    Unit.objects.filter(pk=certified.pk).update(verified_at=None)
    assert client.get(reverse("plaque", args=[certified.public_id])).status_code == 404


# --- Public contact details ---------------------------------------------------------------------


def test_an_operators_change_to_the_public_12315_contact_is_shown_to_staff(
    certified: Unit, operator: User, street_staff: User
) -> None:
    services.station_save(
        unit=certified,
        by=operator,
        contact_person="李四",
        phone="0411-86201234",
        hours="9-17",
        location="前台",
    )
    services.station_save(unit=certified, by=operator, phone="13900009999")
    change = ContactChange.objects.filter(unit=certified).order_by("-id").first()
    assert change is not None
    assert list(change.changes.values()) == [["0411-86201234", "13900009999"]]
    assert AuditEvent.objects.filter(action="unit.public_contact_changed").count() == 2
    page = client_for(street_staff).get(reverse("unit-detail", args=[certified.pk]))
    assert "13900009999" in page.content.decode()
    assert 'data-testid="contact-changes"' in page.content.decode()


def test_staff_changes_are_not_listed_as_operator_changes(
    certified: Unit, street_staff: User
) -> None:
    services.station_save(
        unit=certified,
        by=street_staff,
        contact_person="李四",
        phone="0411-86201234",
        hours="9-17",
        location="前台",
    )
    assert not ContactChange.objects.exists()
