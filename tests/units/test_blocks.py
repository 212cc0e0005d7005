"""Demonstration blocks and industries: public pages with members, share certified and figures;
staff manage a block's membership (issue 12, item 6).

The fixture is made by hand: the block 旅顺老街商圈 (登峰街道) has a certified demonstration unit
(海鲜馆), an uncertified one (面馆), a revoked one (茶社) and one whose licence is not verified
(烧烤), which no public page shows; 得胜's 百货店 is outside the block.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complaints import services as complaint_services
from lyushunkou.models import AuditEvent, Jurisdiction, User
from tests.complaints.helpers import register as register_complaint
from tests.conftest import client_for
from tests.factories import UnitFactory
from tests.inspections.helpers import batch as record_batch
from units import services_blocks
from units.forms_blocks import last_complete_month, parse_period
from units.models import DemonstrationBlock, DemonstrationIndustry, Unit

pytestmark = pytest.mark.django_db

_seeds = itertools.count(100)
JUNE = "2025-06"


def certified(**fields: Any) -> dict[str, Any]:
    return {
        "demonstration_status": "approved",
        "certificate_no": f"LS{next(_seeds)}",
        "certified_until": timezone.localdate() + dt.timedelta(days=200),
        **fields,
    }


@pytest.fixture
def block(dengfeng: Jurisdiction) -> DemonstrationBlock:
    return DemonstrationBlock.objects.create(
        name="旅顺老街商圈", kind="circle", jurisdiction=dengfeng, year=2025
    )


@pytest.fixture
def members(block: DemonstrationBlock, dengfeng: Jurisdiction) -> dict[str, Unit]:
    return {
        "seafood": UnitFactory.create(
            jurisdiction=dengfeng,
            name="老街海鲜馆",
            industry="catering",
            block=block,
            **certified(),
        ),
        "noodles": UnitFactory.create(
            jurisdiction=dengfeng, name="老街面馆", industry="catering", block=block
        ),
        "tea": UnitFactory.create(
            jurisdiction=dengfeng,
            name="老街茶社",
            industry="catering",
            block=block,
            **certified(demonstration_status="revoked"),
        ),
        "bbq": UnitFactory.create(
            jurisdiction=dengfeng,
            name="老街烧烤",
            industry="catering",
            block=block,
            verified_at=None,
        ),
    }


@pytest.fixture
def outsider(desheng: Jurisdiction) -> Unit:
    return UnitFactory.create(jurisdiction=desheng, name="得胜百货店", industry="retail")


def public_page(client: Client, block: DemonstrationBlock, **params: str) -> str:
    response = client.get(reverse("block-detail", args=[block.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


# --- The public pages ----------------------------------------------------------------------------


def test_the_block_page_lists_its_verified_members_only(
    client: Client, block: DemonstrationBlock, members: dict[str, Unit], outsider: Unit
) -> None:
    page = public_page(client, block)
    assert '<h1 class="h3">旅顺老街商圈</h1>' in page
    assert "老街海鲜馆" in page
    assert "老街面馆" in page
    assert "老街茶社" in page
    assert "老街烧烤" not in page  # licence not verified
    assert "得胜百货店" not in page


def test_the_block_page_shows_no_personal_data(
    client: Client, block: DemonstrationBlock, members: dict[str, Unit]
) -> None:
    page = public_page(client, block)
    for unit in members.values():
        assert unit.legal_representative not in page
        assert unit.contact_phone not in page


def test_the_share_certified_counts_valid_demonstration_units_of_the_members(
    client: Client, block: DemonstrationBlock, members: dict[str, Unit]
) -> None:
    response = client.get(reverse("block-detail", args=[block.pk]))
    # 海鲜馆 of 海鲜馆, 面馆, 茶社 (revoked): the unverified 烧烤 is no member in public.
    assert response.context["share"]["numerator"] == 1
    assert response.context["share"]["denominator"] == 3
    assert "33.3%" in response.content.decode()


def test_a_block_without_members_shows_no_data_not_zero(
    client: Client, block: DemonstrationBlock
) -> None:
    page = public_page(client, block)
    assert "无数据" in page
    assert "0.0%" not in page


def test_the_list_shows_each_block_and_industry_with_its_share(
    client: Client, block: DemonstrationBlock, members: dict[str, Unit], outsider: Unit
) -> None:
    industry = DemonstrationIndustry.objects.create(industry="retail", year=2025)
    response = client.get(reverse("block-list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "旅顺老街商圈" in page
    assert reverse("industry-detail", args=[industry.pk]) in page
    shares = {listed.item.pk: listed.share for listed in response.context["blocks"]}
    assert (shares[block.pk]["numerator"], shares[block.pk]["denominator"]) == (1, 3)
    (retail,) = response.context["industries"]
    assert (retail.share["numerator"], retail.share["denominator"]) == (0, 1)


def test_an_industry_page_lists_the_verified_units_of_that_industry(
    client: Client, members: dict[str, Unit], outsider: Unit
) -> None:
    industry = DemonstrationIndustry.objects.create(industry="catering", year=2025)
    response = client.get(reverse("industry-detail", args=[industry.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "老街海鲜馆" in page
    assert "老街烧烤" not in page
    assert "得胜百货店" not in page  # retail
    assert (response.context["share"]["numerator"], response.context["share"]["denominator"]) == (
        1,
        3,
    )


def test_unknown_blocks_and_industries_are_404(client: Client, db: None) -> None:
    assert client.get(reverse("block-detail", args=[999])).status_code == 404
    assert client.get(reverse("industry-detail", args=[999])).status_code == 404


@pytest.fixture
def june_records(
    members: dict[str, Unit],
    outsider: Unit,
    dengfeng: Jurisdiction,
    desheng: Jurisdiction,
    district_staff: User,
) -> None:
    seafood, noodles, bbq = members["seafood"], members["noodles"], members["bbq"]
    concluded = register_complaint(dengfeng, on=dt.date(2025, 6, 3), unit=seafood)
    concluded = complaint_services.complaint_accept(
        complaint=concluded, by=None, version=concluded.version, on=dt.date(2025, 6, 3)
    )
    complaint_services.complaint_conclude(
        complaint=concluded,
        by=None,
        version=concluded.version,
        outcome="mediated",
        on=dt.date(2025, 6, 10),
    )
    register_complaint(dengfeng, on=dt.date(2025, 6, 5), unit=noodles)  # open, long past due
    register_complaint(dengfeng, on=dt.date(2025, 7, 1), unit=seafood)  # another month
    register_complaint(dengfeng, on=dt.date(2025, 6, 6), unit=seafood, kind="report")
    register_complaint(dengfeng, on=dt.date(2025, 6, 7), unit=bbq)  # not a public member
    register_complaint(desheng, on=dt.date(2025, 6, 8), unit=outsider)

    def sample(unit: Unit, day: dt.date, **fields: Any) -> None:
        record_batch(
            district_staff,
            unit.jurisdiction,
            sampled_unit_name=unit.name,
            sampled_unit_credit_code=unit.credit_code,
            sampled_on=day,
            **fields,
        )

    sample(seafood, dt.date(2025, 6, 10), result="pass")
    sample(seafood, dt.date(2025, 6, 11), result="fail")
    sample(noodles, dt.date(2025, 6, 12), result="fail", sampling_type="rapid")
    sample(noodles, dt.date(2025, 7, 2), result="fail")  # another month
    sample(outsider, dt.date(2025, 6, 13), result="fail")


def figures(response: Any) -> dict[str, Any]:
    return {
        row["key"]: row["rate"] if row["rate"] is not None else row["count"]
        for group in response.context["figure_groups"]
        for row in group.rows
    }


def test_the_block_figures_count_the_members_records_of_the_period(
    client: Client, block: DemonstrationBlock, june_records: None
) -> None:
    response = client.get(reverse("block-detail", args=[block.pk]), {"period": JUNE})
    shown = figures(response)
    assert shown["complaints_received"] == 2  # not the report, nor July, nor non-members
    assert shown["complaints_concluded"] == 1
    assert (
        shown["complaint_handling_rate"]["numerator"],
        shown["complaint_handling_rate"]["denominator"],
    ) == (1, 2)
    assert shown["sampling_batches"] == 3
    assert shown["sampling_failed"] == 2
    # The rapid test counts as a batch but not in the pass rate (supervisory and evaluative).
    assert (
        shown["sampling_pass_rate"]["numerator"],
        shown["sampling_pass_rate"]["denominator"],
    ) == (1, 2)
    assert "50.0%" in response.content.decode()


def test_the_figures_follow_the_period(
    client: Client, block: DemonstrationBlock, june_records: None
) -> None:
    response = client.get(reverse("block-detail", args=[block.pk]), {"period": "2025-Q3"})
    shown = figures(response)
    assert shown["complaints_received"] == 1
    assert shown["sampling_batches"] == 1
    assert shown["sampling_pass_rate"]["numerator"] == 0  # July's failed supervisory batch
    assert shown["sampling_pass_rate"]["denominator"] == 1
    year = figures(client.get(reverse("block-detail", args=[block.pk]), {"period": "2025"}))
    assert year["complaints_received"] == 3


def test_a_malformed_period_is_named_and_the_last_month_shown(
    client: Client, block: DemonstrationBlock
) -> None:
    response = client.get(reverse("block-detail", args=[block.pk]), {"period": "2025-13"})
    assert response.status_code == 200
    assert "统计期间" in response.content.decode()
    assert response.context["period"] == last_complete_month(timezone.localdate())


def test_periods_read_as_the_programme_writes_them() -> None:
    quarter = parse_period("2026-q3")
    assert quarter is not None
    assert (quarter.start, quarter.end) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert last_complete_month(dt.date(2026, 1, 15)).key == "2025-12"
    assert parse_period("2026-7") is None


def test_members_are_paginated_and_the_query_count_does_not_grow(
    client: Client,
    block: DemonstrationBlock,
    dengfeng: Jurisdiction,
    django_assert_max_num_queries: Any,
) -> None:
    for n in range(55):
        UnitFactory.create(
            jurisdiction=dengfeng,
            name=f"老街商户{n:02d}",
            industry="catering",
            block=block,
            **certified(),
        )
    with django_assert_max_num_queries(8):
        response = client.get(reverse("block-detail", args=[block.pk]), {"period": JUNE})
    assert len(response.context["entries"]) == 50
    assert response.context["page"].paginator.count == 55
    with django_assert_max_num_queries(8):
        client.get(reverse("block-list"))


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


# --- Staff manage membership ---------------------------------------------------------------------


def add_url(block: DemonstrationBlock) -> str:
    return reverse("block-units-add", args=[block.pk])


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


# --- Who reaches the staff pages ------------------------------------------------------------------


def staff_page(block: DemonstrationBlock) -> str:
    return reverse("block-staff-detail", args=[block.pk])


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
