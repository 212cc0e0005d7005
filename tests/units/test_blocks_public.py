"""The public pages of demonstration blocks and industries (issue 12, item 6): their verified
members, no personal data, the share certified, a list of them all, pages of members in constant
queries. The fixtures (the block 旅顺老街商圈 and its members) are in tests/units/conftest.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lyushunkou.models import Jurisdiction
from tests.factories import UnitFactory
from tests.units.blocks_helpers import JUNE, certified
from units.models import DemonstrationBlock, DemonstrationIndustry, Unit

pytestmark = pytest.mark.django_db


def public_page(client: Client, block: DemonstrationBlock, **params: str) -> str:
    response = client.get(reverse("block-detail", args=[block.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


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
