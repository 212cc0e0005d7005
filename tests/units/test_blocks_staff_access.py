"""Who reaches the blocks' staff pages (issue 12, item 6): anonymous visitors are sent to log in,
operators refused, staff of another street get a 404, street staff see their street's members,
leaders read but cannot change. The fixtures (the block 旅顺老街商圈 and its members) are in
tests/units/conftest.py.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lyushunkou.models import AuditEvent, Jurisdiction, User
from tests.conftest import client_for
from tests.factories import UnitFactory
from tests.units.blocks_helpers import add_url, staff_page
from units.models import DemonstrationBlock, Unit

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_read_public_pages_and_are_sent_to_login_for_staff_pages(
    client: Client, block: DemonstrationBlock
) -> None:
    assert client.get(reverse("block-list")).status_code == 200
    response = client.get(staff_page(block))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_operators_are_refused_the_staff_pages(operator: User, block: DemonstrationBlock) -> None:
    client = client_for(operator)
    assert client.get(reverse("block-staff-list")).status_code == 403
    assert client.get(staff_page(block)).status_code == 403


def test_street_staff_of_another_street_get_404(
    block: DemonstrationBlock, desheng: Jurisdiction, members: dict[str, Unit]
) -> None:
    from tests.conftest import make_user

    desheng_staff = make_user("ivan", "staff", desheng)
    client = client_for(desheng_staff)
    assert client.get(staff_page(block)).status_code == 404
    assert client.post(add_url(block), {"credit_codes": "x"}).status_code == 404
    assert "旅顺老街商圈" not in client.get(reverse("block-staff-list")).content.decode()
    assert AuditEvent.objects.filter(actor=desheng_staff, action="access.denied").exists()


def test_street_staff_see_only_their_streets_members(
    street_staff: User, block: DemonstrationBlock, members: dict[str, Unit], desheng: Jurisdiction
) -> None:
    far = UnitFactory.create(
        jurisdiction=desheng, name="得胜海鲜城", industry="catering", block=block
    )
    response = client_for(street_staff).get(staff_page(block))
    page = response.content.decode()
    assert "老街面馆" in page
    assert "得胜海鲜城" not in page
    assert response.context["outside"] == 1
    url = reverse("block-unit-remove", args=[block.pk, far.pk])
    assert client_for(street_staff).post(url, {"confirm": "on"}).status_code == 404


def test_leaders_read_but_cannot_change_membership(
    leader: User, block: DemonstrationBlock, members: dict[str, Unit]
) -> None:
    client = client_for(leader)
    response = client.get(staff_page(block))
    assert response.status_code == 200
    assert "老街面馆" in response.content.decode()
    assert response.context["form"] is None
    assert client.post(add_url(block), {"credit_codes": "x"}).status_code == 403
    url = reverse("block-unit-remove", args=[block.pk, members["noodles"].pk])
    assert client.post(url, {"confirm": "on"}).status_code == 403
    members["noodles"].refresh_from_db()
    assert members["noodles"].block == block


def test_the_staff_menu_has_the_blocks_entry(district_staff: User) -> None:
    response = client_for(district_staff).get(reverse("home"))
    assert reverse("block-staff-list") in response.content.decode()
