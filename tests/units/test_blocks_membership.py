"""Staff manage a block's membership (issue 12, item 6): the staff block page pages its members
in constant queries; units are added by credit code, all or nothing, and removed after a
confirmation, each change audited. The fixtures (the block 旅顺老街商圈 and its members) are in
tests/units/conftest.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from lyushunkou.models import AuditEvent, Jurisdiction, User
from tests.conftest import client_for
from tests.factories import UnitFactory
from tests.units.blocks_helpers import add_url, staff_page
from units import services_blocks
from units.models import DemonstrationBlock, Unit

pytestmark = pytest.mark.django_db


def test_the_staff_block_page_pages_its_members_in_constant_queries(
    street_staff: User,
    block: DemonstrationBlock,
    dengfeng: Jurisdiction,
    django_assert_max_num_queries: Any,
) -> None:
    for n in range(55):
        UnitFactory.create(
            jurisdiction=dengfeng, name=f"老街商户{n:02d}", industry="catering", block=block
        )
    client = client_for(street_staff)
    with django_assert_max_num_queries(12):
        response = client.get(staff_page(block))
    assert len(response.context["page"].object_list) == 50
    with django_assert_max_num_queries(10):
        client.get(reverse("block-staff-list"))


def test_staff_add_units_by_credit_code_and_it_is_audited(
    street_staff: User, block: DemonstrationBlock, dengfeng: Jurisdiction
) -> None:
    first = UnitFactory.create(jurisdiction=dengfeng, name="登峰烟酒店", industry="retail")
    second = UnitFactory.create(jurisdiction=dengfeng, name="登峰药房", industry="pharmacy")
    codes = f"{first.credit_code}\n\n {second.credit_code.lower()} \n"
    response = client_for(street_staff).post(add_url(block), {"credit_codes": codes})
    assert response.status_code == 302
    assert set(Unit.objects.filter(block=block)) == {first, second}
    events = AuditEvent.objects.filter(action="unit.block_joined", actor=street_staff)
    assert {event.object_id for event in events} == {str(first.pk), str(second.pk)}
    assert all(event.detail["block"] == block.pk for event in events)


def test_adding_is_all_or_nothing_and_names_each_bad_line(
    street_staff: User,
    block: DemonstrationBlock,
    dengfeng: Jurisdiction,
    outsider: Unit,
) -> None:
    good = UnitFactory.create(jurisdiction=dengfeng, name="登峰烟酒店", industry="retail")
    unverified = UnitFactory.create(
        jurisdiction=dengfeng, name="登峰新店", industry="catering", verified_at=None
    )
    lines = [good.credit_code, "12345", outsider.credit_code, unverified.credit_code]
    response = client_for(street_staff).post(add_url(block), {"credit_codes": "\n".join(lines)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "第2行" in page
    assert "第3行" in page  # another street's unit reads as unknown
    assert "第4行" in page
    assert "第1行" not in page
    assert not Unit.objects.filter(block=block).exists()
    assert not AuditEvent.objects.filter(action="unit.block_joined").exists()


def test_a_unit_already_in_another_block_is_refused(
    district_staff: User, block: DemonstrationBlock, dengfeng: Jurisdiction
) -> None:
    other = DemonstrationBlock.objects.create(
        name="白玉山景区", kind="scenic", jurisdiction=dengfeng, year=2024
    )
    unit = UnitFactory.create(
        jurisdiction=dengfeng, name="白玉山纪念品店", industry="catering", block=other
    )
    response = client_for(district_staff).post(add_url(block), {"credit_codes": unit.credit_code})
    assert response.status_code == 400
    assert "白玉山景区" in response.content.decode()
    unit.refresh_from_db()
    assert unit.block == other


def test_staff_remove_a_unit_after_confirming_and_it_is_audited(
    street_staff: User, block: DemonstrationBlock, members: dict[str, Unit]
) -> None:
    noodles = members["noodles"]
    url = reverse("block-unit-remove", args=[block.pk, noodles.pk])
    client = client_for(street_staff)
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 400  # not confirmed: nothing happens
    noodles.refresh_from_db()
    assert noodles.block == block
    assert client.post(url, {"confirm": "on"}).status_code == 302
    noodles.refresh_from_db()
    assert noodles.block is None
    event = AuditEvent.objects.get(action="unit.block_left")
    assert event.actor == street_staff
    assert event.object_id == str(noodles.pk)


def test_removing_twice_says_it_is_gone(
    district_staff: User, block: DemonstrationBlock, members: dict[str, Unit]
) -> None:
    services_blocks.block_remove_unit(block=block, unit=members["tea"], by=district_staff)
    url = reverse("block-unit-remove", args=[block.pk, members["tea"].pk])
    assert client_for(district_staff).post(url, {"confirm": "on"}).status_code == 404
