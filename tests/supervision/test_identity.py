"""Identity continuity (issue 19 item 4): a unit registered, imported or claimed that shares its
legal representative, phone, address or a previous credit code with a unit that was revoked, is
on the dishonest list or under open enforcement is flagged, and cannot apply for demonstration
status until staff clear the match.

``revoked`` is the suite's 旅顺老街海鲜馆 (张三, 13812345678, 黄河路1号), its status revoked.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from inspections.models import DishonestListing, Disposal, Penalty
from lyushunkou.credit_codes import generate_credit_code
from lyushunkou.models import AuditEvent, Jurisdiction, Notification, User
from supervision import services_identity
from supervision.identity import normalise_address, normalise_phone
from supervision.models import IdentityMatch, MatchState
from tests.conftest import client_for, make_user
from tests.inspections.helpers import batch
from tests.units.helpers import commit
from units import services
from units.models import DemonstrationStatus, Unit, UnitClaim
from units.standard import standard_check

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
_codes = random.Random(1904)
APPLICATION: dict[str, Any] = {
    "year": 2026,
    "statement": "五放心自评",
    "commitments_confirmed": True,
}


@pytest.fixture
def revoked(unit: Unit) -> Unit:
    Unit.objects.filter(pk=unit.pk).update(
        demonstration_status=DemonstrationStatus.REVOKED,
        status_reason="逾期未整改，摘牌",
        certificate_no="LSK-FXXF-2025-00007",
        certified_from=dt.date(2025, 3, 1),
        certified_until=dt.date(2026, 2, 28),
    )
    unit.refresh_from_db()
    return unit


def new_unit(by: User, jurisdiction: Jurisdiction, **fields: Any) -> Unit:
    """A unit staff enter (or import: the import writes through the same service)."""
    data = {
        "credit_code": generate_credit_code(_codes),
        "name": "新开海鲜酒家",
        "industry": "catering",
        "address": "旅顺口区登峰街道长城路9号",
        "jurisdiction": jurisdiction,
        "legal_representative": "孙七",
        "contact_phone": "13600009999",
        **fields,
    }
    return services.unit_create(by=by, **data)


def register(client: Client, jurisdiction: Jurisdiction, **overrides: Any) -> Unit:
    code = generate_credit_code(_codes)
    data: dict[str, Any] = {
        "username": "reborn",
        "full_name": "张三",
        "phone": "138-1234-5678",
        "email": "",
        "password1": "Lvshun-Shop-2026",
        "password2": "Lvshun-Shop-2026",
        "credit_code": code,
        "name": "旅顺新街海鲜坊",
        "industry": "catering",
        "jurisdiction": jurisdiction.pk,
        "address": "辽宁省大连市旅顺口区登峰街道长城路20号",
        "legal_representative": "张 三",
        "licence": SimpleUploadedFile("营业执照.pdf", PDF, content_type="application/pdf"),
        "website": "",
        **overrides,
    }
    client.post(reverse("register"), data, follow=True)
    return Unit.objects.get(credit_code=code)


def verify(unit: Unit, staff: User) -> None:
    claim = UnitClaim.objects.get(unit=unit, kind=UnitClaim.Kind.NEW)
    client_for(staff).post(
        reverse("claim-decide", args=[claim.pk]), {"decision": "approve", "note": ""}
    )
    unit.refresh_from_db()


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The services' refusals are matched in English (their Chinese is merged by the lead)."""
    with translation.override("en"):
        yield


# --- The done-when: a re-registered operator of a revoked unit ---------------------------------


def test_a_reregistered_operator_of_a_revoked_unit_is_flagged_and_cannot_apply_until_cleared(
    client: Client, revoked: Unit, dengfeng: Jurisdiction, street_staff: User
) -> None:
    unit = register(client, dengfeng)
    match = IdentityMatch.objects.get(unit=unit)
    assert match.matched_unit == revoked
    assert {r["field"] for r in match.reasons} == {"legal_representative", "phone"}
    assert [r["kind"] for r in match.risks] == ["revoked"]
    assert match.trigger == "registration"
    assert match.state == MatchState.OPEN

    verify(unit, street_staff)
    operator = User.objects.get(username="reborn")
    commit(unit, operator)
    # The client's requests above activated the portal's language; match the English.
    with translation.override("en"), pytest.raises(ValidationError, match="cannot apply"):
        services.application_create(unit=unit, by=operator, **APPLICATION)

    client_for(street_staff).post(
        reverse("identity-action", args=[match.pk, "clear"]),
        {"clear-note": "同名不同人：身份证号不同，电话为转让前旧号"},
    )
    application = services.application_create(unit=unit, by=operator, **APPLICATION)
    assert application.status == "draft"


def test_the_staff_of_the_units_street_are_told_of_a_new_match(
    client: Client, revoked: Unit, dengfeng: Jurisdiction, street_staff: User
) -> None:
    unit = register(client, dengfeng)
    match = IdentityMatch.objects.get(unit=unit)
    note = Notification.objects.get(user=street_staff, key=f"supervision.identity:{match.pk}")
    assert note.link == reverse("identity-detail", args=[match.pk])
    assert revoked.name in note.message


def test_finding_a_match_is_audited(client: Client, revoked: Unit, dengfeng: Jurisdiction) -> None:
    unit = register(client, dengfeng)
    event = AuditEvent.objects.get(action="supervision.identity_match_found")
    assert event.object_id == str(unit.pk)


def test_a_unit_that_shares_nothing_is_not_flagged(
    revoked: Unit, dengfeng: Jurisdiction, district_staff: User
) -> None:
    unit = new_unit(district_staff, dengfeng)
    assert not IdentityMatch.objects.filter(unit=unit).exists()


def test_sharing_with_a_unit_in_good_standing_is_no_match(
    unit: Unit, dengfeng: Jurisdiction, district_staff: User
) -> None:
    twin = new_unit(district_staff, dengfeng, legal_representative="张三")
    assert not IdentityMatch.objects.filter(unit=twin).exists()


# --- What counts as the same ---------------------------------------------------------------------


def test_phones_are_compared_as_digits_without_the_country_code() -> None:
    assert normalise_phone("+86 138-1234-5678") == normalise_phone("13812345678") != ""


def test_addresses_are_compared_without_province_city_district_and_punctuation() -> None:
    assert normalise_address("辽宁省大连市旅顺口区 黄河路１号") == normalise_address("黄河路1号")


def test_a_short_address_names_no_place_and_matches_nothing() -> None:
    assert normalise_address("旅顺口区1号") == ""


def test_staff_entry_at_the_address_of_a_dishonest_unit_is_flagged(
    other_unit: Unit, dengfeng: Jurisdiction, district_staff: User
) -> None:
    DishonestListing.objects.create(
        unit=other_unit,
        listed_on=dt.date(2026, 1, 5),
        authority="旅顺口区市场监管局",
        reason="虚假宣传",
    )
    unit = new_unit(district_staff, dengfeng, address="旅顺口区得胜街道 长江路2号")
    match = IdentityMatch.objects.get(unit=unit)
    assert match.trigger == "entry"
    assert [r["field"] for r in match.reasons] == ["address"]
    assert match.risks[0]["kind"] == "dishonest"
    assert match.risks[0]["since"] == "2026-01-05"


def test_a_unit_removed_from_the_dishonest_list_is_no_longer_at_risk(
    other_unit: Unit, dengfeng: Jurisdiction, district_staff: User
) -> None:
    DishonestListing.objects.create(
        unit=other_unit,
        listed_on=dt.date(2024, 1, 5),
        removed_on=dt.date(2025, 1, 5),
        authority="旅顺口区市场监管局",
        reason="虚假宣传",
    )
    unit = new_unit(district_staff, dengfeng, legal_representative="王五")
    assert not IdentityMatch.objects.filter(unit=unit).exists()


def _case(unit: Unit, staff: User, opened: dt.date) -> None:
    failed = batch(
        staff, unit.jurisdiction, unit=unit, result="fail", sampled_on=opened - dt.timedelta(20)
    )
    Disposal.objects.create(batch=failed, kind="case_opened", done_on=opened, responsible=staff)


def test_a_unit_under_an_open_case_is_at_risk(
    other_unit: Unit, dengfeng: Jurisdiction, district_staff: User
) -> None:
    _case(other_unit, district_staff, timezone.localdate() - dt.timedelta(days=30))
    unit = new_unit(district_staff, dengfeng, contact_phone="139 0000 1111")
    match = IdentityMatch.objects.get(unit=unit)
    assert [r["field"] for r in match.reasons] == ["phone"]
    assert match.risks[0]["kind"] == "enforcement"


def test_a_case_decided_by_a_penalty_is_no_longer_open_enforcement(
    other_unit: Unit, dengfeng: Jurisdiction, district_staff: User
) -> None:
    opened = timezone.localdate() - dt.timedelta(days=60)
    _case(other_unit, district_staff, opened)
    Penalty.objects.create(
        unit=other_unit,
        kind="quality",
        decision_no="旅市监罚〔2026〕19号",
        decided_on=opened + dt.timedelta(30),
    )
    unit = new_unit(district_staff, dengfeng, contact_phone="13900001111")
    assert not IdentityMatch.objects.filter(unit=unit).exists()


def test_a_claim_by_the_operator_of_a_revoked_unit_is_flagged(
    revoked: Unit, other_unit: Unit, street_staff: User, desheng: Jurisdiction
) -> None:
    claimant = make_user("reborn", "operator", phone="13812345678")
    UnitClaim.objects.create(
        unit=other_unit,
        claimant=claimant,
        kind=UnitClaim.Kind.EXISTING,
        legal_representative="王五",
    )
    match = IdentityMatch.objects.get(unit=other_unit)
    assert match.trigger == "claim"
    assert match.matched_unit == revoked
    assert [r["field"] for r in match.reasons] == ["phone"]


def test_a_recorded_previous_credit_code_of_a_revoked_unit_is_a_match(
    revoked: Unit, dengfeng: Jurisdiction, district_staff: User
) -> None:
    unit = new_unit(district_staff, dengfeng)
    found = services_identity.previous_code_record(
        unit=unit, credit_code=revoked.credit_code.lower(), by=district_staff
    )
    assert [m.matched_unit for m in found] == [revoked]
    assert found[0].reasons == [{"field": "credit_code", "value": revoked.credit_code}]
    assert found[0].trigger == "previous_code"


def test_a_malformed_previous_credit_code_is_refused_naming_the_field(
    unit: Unit, district_staff: User
) -> None:
    with pytest.raises(ValidationError) as error:
        services_identity.previous_code_record(unit=unit, credit_code="12345", by=district_staff)
    assert "previous_credit_code" in error.value.message_dict


def test_checking_again_adds_what_is_newly_shared_and_no_second_match(
    revoked: Unit, dengfeng: Jurisdiction, district_staff: User
) -> None:
    unit = new_unit(district_staff, dengfeng, legal_representative="张三")
    services_identity.previous_code_record(
        unit=unit, credit_code=revoked.credit_code, by=district_staff
    )
    match = IdentityMatch.objects.get(unit=unit)
    assert [r["field"] for r in match.reasons] == ["legal_representative", "credit_code"]


# --- Deciding, and the gate ------------------------------------------------------------------


@pytest.fixture
def match(revoked: Unit, dengfeng: Jurisdiction, district_staff: User) -> IdentityMatch:
    new_unit(district_staff, dengfeng, legal_representative="张三")
    return IdentityMatch.objects.get()


def test_a_confirmed_match_keeps_the_unit_from_applying(
    match: IdentityMatch, street_staff: User
) -> None:
    services_identity.match_confirm(match=match, by=street_staff, note="同一经营者换照经营")
    with pytest.raises(ValidationError, match="found that this unit continues"):
        services.application_create(unit=match.unit, by=street_staff, **APPLICATION)


def test_the_standard_check_lists_the_open_match_as_unmet(match: IdentityMatch) -> None:
    outcome = standard_check(match.unit).outcomes[-1]
    assert outcome.code == "gate:identity"
    assert outcome.blocking


def test_a_draft_made_before_the_match_cannot_be_submitted(
    revoked: Unit, dengfeng: Jurisdiction, district_staff: User, operator: User
) -> None:
    unit = new_unit(district_staff, dengfeng)
    commit(unit, district_staff)
    application = services.application_create(unit=unit, by=district_staff, **APPLICATION)
    services_identity.previous_code_record(
        unit=unit, credit_code=revoked.credit_code, by=district_staff
    )
    with pytest.raises(ValidationError, match="cannot apply"):
        services.application_submit(
            application=application, by=district_staff, version=application.version
        )


def test_clearing_needs_a_note(match: IdentityMatch, street_staff: User) -> None:
    with pytest.raises(ValidationError) as error:
        services_identity.match_clear(match=match, by=street_staff, note="  ")
    assert "note" in error.value.message_dict


def test_a_match_is_decided_once(match: IdentityMatch, street_staff: User) -> None:
    stale = IdentityMatch.objects.get(pk=match.pk)
    services_identity.match_clear(match=match, by=street_staff, note="同名不同人")
    with pytest.raises(services_identity.StaleObject):
        services_identity.match_confirm(match=stale, by=street_staff)


def test_a_decision_is_audited_with_its_note(match: IdentityMatch, street_staff: User) -> None:
    services_identity.match_clear(match=match, by=street_staff, note="同名不同人")
    event = AuditEvent.objects.get(action="supervision.identity_match_cleared")
    assert event.detail["note"] == "同名不同人"


def test_a_decided_match_found_again_keeps_the_decision(
    match: IdentityMatch, street_staff: User, revoked: Unit
) -> None:
    services_identity.match_clear(match=match, by=street_staff, note="同名不同人")
    services_identity.identity_check(unit=match.unit, trigger="claim", phones=["13812345678"])
    match.refresh_from_db()
    assert match.state == MatchState.CLEARED
    assert [r["field"] for r in match.reasons] == ["legal_representative"]
