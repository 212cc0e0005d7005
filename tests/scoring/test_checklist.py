"""The retired demonstration-area checklist (issue 21): its old address sends everyone to the
demonstration areas, no menu offers it, and the items recorded before stay readable in the admin
(their evidence files through the access-checked download)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, reverse

from lyushunkou.models import Jurisdiction, Role, User
from lyushunkou.navigation import MENU
from scoring import targets
from scoring.models import ChecklistItem
from tests.conftest import DENGFENG, client_for, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OLD_ADDRESS = "/demonstration-areas/"


@pytest.fixture
def recorded(street_staff: User) -> ChecklistItem:
    """登峰's joint conference item, recorded and confirmed with a file before the retirement."""
    record = targets.checklist_item_for_user(street_staff, DENGFENG, "joint_conference", write=True)
    return targets.checklist_item_save(
        record=record,
        by=street_staff,
        version=0,
        done=True,
        note="旅政办〔2026〕3号 联席会议制度",
        upload=SimpleUploadedFile("联席会议制度.pdf", PDF, "application/pdf"),
        confirm=True,
    )


def test_the_old_address_moves_permanently_to_the_areas_staff_page(district_staff: User) -> None:
    response = client_for(district_staff).get(OLD_ADDRESS)
    assert response.status_code == 301
    assert response["Location"] == reverse("areas-staff")


def test_a_bookmark_with_a_query_lands_on_the_areas_page_without_it(leader: User) -> None:
    response = client_for(leader).get(f"{OLD_ADDRESS}?q=登峰")
    assert response.status_code == 301
    assert response["Location"] == reverse("areas-staff")


def test_the_redirect_leads_staff_to_the_areas_page(street_staff: User) -> None:
    response = client_for(street_staff).get(OLD_ADDRESS, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("areas-staff"), 301)]


def test_anonymous_visitors_are_sent_on_to_log_in_by_the_areas_page() -> None:
    response = Client().get(OLD_ADDRESS, follow=True)
    assert response.redirect_chain[0] == (reverse("areas-staff"), 301)
    assert reverse("login") in response.redirect_chain[-1][0]


def test_the_old_pages_are_gone(street_staff: User) -> None:
    for name, kwargs in (
        ("checklist-list", {}),
        ("checklist-edit", {"code": DENGFENG, "item": "joint_conference"}),
        ("checklist-export", {"fmt": "csv"}),
    ):
        with pytest.raises(NoReverseMatch):
            reverse(name, kwargs=kwargs)
    gone = client_for(street_staff).get(f"{OLD_ADDRESS}{DENGFENG}/joint_conference/")
    assert gone.status_code == 404


def test_no_menu_offers_the_old_checklist() -> None:
    assert [item for item in MENU if item.url_name.startswith("checklist")] == []


def test_the_menu_offers_the_demonstration_areas_to_staff_and_leaders() -> None:
    (entry,) = [item for item in MENU if item.url_name == "areas-staff"]
    assert entry.roles == frozenset({Role.STAFF, Role.LEADER})


def test_the_staff_menu_links_the_areas_and_not_the_old_address(street_staff: User) -> None:
    html = client_for(street_staff).get(reverse("home")).content.decode()
    assert f'href="{reverse("areas-staff")}"' in html
    assert f'href="{OLD_ADDRESS}"' not in html


def test_the_recorded_items_are_listed_in_the_admin(
    sysadmin: User, recorded: ChecklistItem
) -> None:
    response = client_for(sysadmin).get(reverse("admin:scoring_checklistitem_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    page = client_for(sysadmin).get(
        reverse("admin:scoring_checklistitem_change", kwargs={"object_id": recorded.pk})
    )
    assert page.status_code == 200
    assert "联席会议制度" in page.content.decode()


def test_the_evidence_file_stays_downloadable_by_staff_in_scope_and_leaders(
    street_staff: User, leader: User, recorded: ChecklistItem
) -> None:
    url = reverse("checklist-file", kwargs={"pk": recorded.pk})
    for user in (street_staff, leader):
        download = client_for(user).get(url)
        assert download.status_code == 200
        assert download["Content-Type"] == "application/pdf"
        assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]


def test_the_evidence_file_is_hidden_from_other_streets_and_operators(
    desheng: Jurisdiction, operator: User, recorded: ChecklistItem
) -> None:
    url = reverse("checklist-file", kwargs={"pk": recorded.pk})
    assert client_for(make_user("ivan", "staff", desheng)).get(url).status_code == 404
    assert client_for(operator).get(url).status_code == 403
    assert Client().get(url).status_code == 302
