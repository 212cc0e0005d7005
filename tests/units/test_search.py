"""The unit name search (units.search): bigrams kept on every write path, indexed on PostgreSQL."""

from __future__ import annotations

import io
import random

import pytest
from django.db import connection
from django.urls import reverse

from lyushunkou.models import Jurisdiction, User
from scoring.grading.forms import ScoreFilter
from tests.conftest import client_for
from tests.factories import UnitFactory
from units import services
from units.demo import seed_units
from units.models import Unit
from units.search import bigrams, fill_name_bigrams, name_bigrams, name_matches

pytestmark = pytest.mark.django_db

LIST = reverse("unit-list")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the bigram index exists on PostgreSQL only"
)


def listed(user: User, query: str) -> set[str]:
    response = client_for(user).get(LIST, {"q": query})
    return {unit.name for unit in response.context["page"]}


def test_bigrams_are_the_distinct_pairs_without_spaces_and_case() -> None:
    assert bigrams("旅顺口区示例海鲜馆") == [
        "旅顺",
        "顺口",
        "口区",
        "区示",
        "示例",
        "例海",
        "海鲜",
        "鲜馆",
    ]
    assert bigrams("KFC 肯德基") == ["kf", "fc", "c肯", "肯德", "德基"]
    assert bigrams("哈哈哈") == ["哈哈"]
    assert bigrams("海") == []


def test_saving_a_unit_keeps_its_bigrams(dengfeng: Jurisdiction) -> None:
    unit = UnitFactory.create(jurisdiction=dengfeng, name="旅顺口区示例海鲜馆")
    assert unit.name_bigrams == name_bigrams("旅顺口区示例海鲜馆")
    unit.name = "旅顺口区示例酒店"
    unit.save(update_fields=["name"])
    unit.refresh_from_db()
    assert unit.name_bigrams == name_bigrams("旅顺口区示例酒店")


def test_a_profile_update_keeps_the_bigrams(dengfeng: Jurisdiction, district_staff: User) -> None:
    unit = UnitFactory.create(jurisdiction=dengfeng, name="旅顺口区示例海鲜馆")
    services.unit_update_profile(
        unit=unit, by=district_staff, name="旅顺口区示例烧烤店", version=unit.version
    )
    unit.refresh_from_db()
    assert unit.name_bigrams == name_bigrams("旅顺口区示例烧烤店")


def test_the_seeders_bulk_path_fills_the_bigrams(dengfeng: Jurisdiction) -> None:
    seed_units(rng=random.Random("bigrams"), scale="district", stdout=io.StringIO(), count=30)
    units = list(Unit.objects.all())
    assert len(units) == 30
    assert all(unit.name_bigrams == name_bigrams(unit.name) for unit in units)


def test_fill_name_bigrams_sets_what_save_would() -> None:
    units = [Unit(name="旅顺口区示例海鲜馆"), Unit(name="KFC 肯德基")]
    fill_name_bigrams(units)
    assert [unit.name_bigrams for unit in units] == [
        name_bigrams("旅顺口区示例海鲜馆"),
        name_bigrams("KFC 肯德基"),
    ]


def test_two_characters_find_a_unit_by_a_part_of_its_name(
    district_staff: User, dengfeng: Jurisdiction
) -> None:
    UnitFactory.create(jurisdiction=dengfeng, name="旅顺口区示例海鲜馆")
    UnitFactory.create(jurisdiction=dengfeng, name="旅顺口区示例烧烤店")
    assert listed(district_staff, "海鲜") == {"旅顺口区示例海鲜馆"}
    assert listed(district_staff, "示例") == {"旅顺口区示例海鲜馆", "旅顺口区示例烧烤店"}
    assert listed(district_staff, "鲜") == {"旅顺口区示例海鲜馆"}  # one character: icontains
    # Every pair present but not side by side: not a match.
    assert listed(district_staff, "海鲜旅顺") == set()


def test_the_grade_list_searches_names_the_same_way() -> None:
    condition = name_matches(Unit.objects.all(), "海鲜馆", prefix="unit__")
    assert "unit__name__icontains" in str(condition)
    assert ScoreFilter.filter_text.__code__.co_names.count("name_matches") == 1


def test_a_two_character_query_is_answered_by_its_pair_alone_on_postgresql() -> None:
    """The pair is the whole test of a two-character query; PostgreSQL estimates it from the
    index's statistics, where an added ``icontains`` made it look a hundred times rarer."""
    two = str(name_matches(Unit.objects.all(), "海鲜", prefix="unit__"))
    if connection.vendor == "postgresql":
        assert "icontains" not in two
        assert "_HasAllPairs" in two
    else:
        assert "unit__name__icontains" in two
    # One distinct pair, three characters: the pair alone would not say "three in a row".
    assert "name__icontains" in str(name_matches(Unit.objects.all(), "哈哈哈"))


@on_postgresql
def test_on_postgresql_haixian_finds_the_seafood_restaurant_through_the_bigram_index(
    district_staff: User, dengfeng: Jurisdiction
) -> None:
    UnitFactory.create(jurisdiction=dengfeng, name="旅顺口区示例海鲜馆")
    UnitFactory.create(jurisdiction=dengfeng, name="旅顺口区示例烧烤店")
    UnitFactory.create(jurisdiction=dengfeng, name="旅顺口区哈哈海鲜")
    assert listed(district_staff, "海鲜") == {"旅顺口区示例海鲜馆", "旅顺口区哈哈海鲜"}
    assert listed(district_staff, "哈哈哈") == set()  # the pair 哈哈 is there, not three 哈

    # Without the list order, which a tiny table would serve from the primary key.
    found = Unit.objects.filter(name_matches(Unit.objects.all(), "海鲜")).order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: make the index visible
        plan = found.explain()
    assert "unit_name_bigrams_gin" in plan
