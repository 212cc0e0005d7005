"""The demonstration-area checklist: who reads it, who records and confirms items, evidence files,
and two editors at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from lyushunkou.models import AuditEvent, Jurisdiction, User
from scoring.models import ChecklistItem, DemonstrationArea
from tests.conftest import DENGFENG, DESHENG, client_for

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def edit_url(code: str = DENGFENG, item: str = "joint_conference") -> str:
    return reverse("checklist-edit", kwargs={"code": code, "item": item})


def form(version: int = 0, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"version": version, "evidence_note": "旅政办〔2026〕3号 联席会议制度"}
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def record(client: Client, version: int = 0, **fields: Any) -> Any:
    return client.post(edit_url(), form(version, done="on", **fields))


# --- Reading ----------------------------------------------------------------------------------


def test_district_staff_and_leaders_see_every_street(
    district_staff: User, leader: User, dengfeng: Jurisdiction
) -> None:
    DemonstrationArea.objects.create(jurisdiction=dengfeng, designated_on="2026-01-15")
    streets = Jurisdiction.objects.exclude(kind="district").count()
    for user in (district_staff, leader):
        response = client_for(user).get(reverse("checklist-list"))
        assert response.status_code == 200
        assert len(response.context["table"]) == streets
        assert f'data-testid="checklist-row-{DESHENG}"'.encode() in response.content
        assert b'data-testid="demo-area"' in response.content
    assert (
        b'data-testid="checklist-edit"'
        in client_for(district_staff).get(reverse("checklist-list")).content
    )


def test_leaders_get_no_edit_links(leader: User) -> None:
    response = client_for(leader).get(reverse("checklist-list"))
    assert b'data-testid="checklist-edit"' not in response.content


def test_street_staff_see_only_their_own_street(street_staff: User) -> None:
    response = client_for(street_staff).get(reverse("checklist-list"))
    codes = [row["place"].code for row in response.context["table"]]
    assert DENGFENG in codes and DESHENG not in codes


def test_operators_and_administrators_are_refused(operator: User, sysadmin: User) -> None:
    for user in (operator, sysadmin):
        assert client_for(user).get(reverse("checklist-list")).status_code == 403


def test_the_list_takes_the_same_queries_however_many_items(
    district_staff: User, django_assert_max_num_queries: Any
) -> None:
    client = client_for(district_staff)
    client.get(reverse("checklist-list"))
    for place in Jurisdiction.objects.exclude(kind="district"):
        for item in ChecklistItem.Item.values:
            ChecklistItem.objects.create(
                jurisdiction=place,
                item=item,
                done=True,
                confirmed_by=district_staff,
                confirmed_at="2026-10-01T10:00+08:00",
                evidence_note="x",
            )
    with django_assert_max_num_queries(12):
        response = client.get(reverse("checklist-list"))
    assert response.content.count(b'data-state="confirmed"') == (
        Jurisdiction.objects.exclude(kind="district").count() * 5
    )


# --- Recording and confirming -------------------------------------------------------------------


def test_street_staff_record_and_confirm_an_item_with_a_file(
    street_staff: User, leader: User
) -> None:
    client = client_for(street_staff)
    assert client.get(edit_url()).status_code == 200
    response = record(
        client,
        confirm="on",
        evidence_file=SimpleUploadedFile("联席会议制度.pdf", PDF, "application/pdf"),
    )
    assert response.status_code == 302 and response["Location"] == reverse("checklist-list")
    item = ChecklistItem.objects.get(jurisdiction__code=DENGFENG, item="joint_conference")
    assert item.done and item.confirmed_by == street_staff and item.confirmed_at is not None
    assert item.evidence_note.startswith("旅政办") and item.version == 1
    assert AuditEvent.objects.filter(
        action="scoring.checklist_recorded", actor=street_staff
    ).exists()

    listing = client_for(leader).get(reverse("checklist-list"))
    assert f'data-testid="cell-{DENGFENG}-joint_conference"'.encode() in listing.content
    assert b'data-state="confirmed"' in listing.content
    download = client_for(leader).get(reverse("checklist-file", kwargs={"pk": item.pk}))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]


def test_saving_without_confirming_withdraws_the_confirmation(
    street_staff: User, district_staff: User
) -> None:
    record(client_for(street_staff), confirm="on")
    response = record(client_for(district_staff), version=1, evidence_note="补充材料")
    assert response.status_code == 302
    item = ChecklistItem.objects.get(jurisdiction__code=DENGFENG, item="joint_conference")
    assert item.confirmed_at is None and item.confirmed_by is None and item.version == 2
    assert AuditEvent.objects.filter(action="scoring.checklist_updated").count() == 1


def test_an_item_in_place_needs_evidence(street_staff: User) -> None:
    response = record(client_for(street_staff), evidence_note="")
    assert response.status_code == 400
    assert "evidence_note" in response.context["form"].errors
    assert not ChecklistItem.objects.exists()


def test_only_an_item_in_place_can_be_confirmed(street_staff: User) -> None:
    response = client_for(street_staff).post(edit_url(), form(confirm="on"))
    assert response.status_code == 400
    assert "confirm" in response.context["form"].errors


def test_a_file_whose_content_does_not_match_its_name_is_refused(street_staff: User) -> None:
    response = record(
        client_for(street_staff),
        evidence_file=SimpleUploadedFile("制度.pdf", PNG, "application/pdf"),
    )
    assert response.status_code == 400
    assert "evidence_file" in response.context["form"].errors
    assert not ChecklistItem.objects.exists()


def test_two_editors_cannot_overwrite_each_other(street_staff: User, district_staff: User) -> None:
    record(client_for(street_staff))
    first, second = client_for(street_staff), client_for(district_staff)
    # Both open the form at version 1; the first to save wins.
    assert first.get(edit_url()).context["form"].initial["version"] == 1
    assert second.get(edit_url()).context["form"].initial["version"] == 1
    assert record(first, version=1, evidence_note="第一位").status_code == 302
    refused = record(second, version=1, evidence_note="第二位")
    assert refused.status_code == 409
    assert refused.context["form"].non_field_errors()
    assert ChecklistItem.objects.get().evidence_note == "第一位"


def test_two_editors_cannot_both_create_an_item(street_staff: User, district_staff: User) -> None:
    assert record(client_for(street_staff), evidence_note="先").status_code == 302
    assert record(client_for(district_staff), evidence_note="后").status_code == 409
    assert ChecklistItem.objects.get().evidence_note == "先"


def test_staff_of_another_street_and_leaders_cannot_record(
    district_staff: User, leader: User, desheng: Jurisdiction
) -> None:
    from tests.conftest import make_user

    ivan = make_user("ivan", "staff", desheng)
    assert client_for(ivan).get(edit_url()).status_code == 404
    assert record(client_for(ivan)).status_code == 404
    assert client_for(leader).get(edit_url()).status_code == 403
    assert record(client_for(leader)).status_code == 403
    assert client_for(ivan).get(edit_url(DESHENG)).status_code == 200
    assert not ChecklistItem.objects.exists()


def test_an_unknown_item_or_place_is_not_found(district_staff: User) -> None:
    client = client_for(district_staff)
    assert client.get(edit_url(item="banquet")).status_code == 404
    assert client.get(edit_url(code="999999999999")).status_code == 404


def test_the_evidence_file_is_hidden_from_other_streets_and_operators(
    street_staff: User, desheng: Jurisdiction, operator: User
) -> None:
    from tests.conftest import make_user

    record(
        client_for(street_staff),
        evidence_file=SimpleUploadedFile("制度.pdf", PDF, "application/pdf"),
    )
    url = reverse("checklist-file", kwargs={"pk": ChecklistItem.objects.get().pk})
    assert client_for(make_user("ivan", "staff", desheng)).get(url).status_code == 404
    assert client_for(operator).get(url).status_code == 403
    assert Client().get(url).status_code == 302
