"""Keyset pagination of the big staff lists (lyushunkou.keyset, issue 17 item 1)."""

from __future__ import annotations

import datetime as dt
import decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import F, QuerySet
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from complaints.models import Complaint
from lyushunkou import keyset
from lyushunkou.keyset import KeysetPage, keyset_page, make_cursor, order_keys, read_cursor
from lyushunkou.models import Jurisdiction, User
from scoring.models import UnitScore
from tests.complaints.helpers import register
from tests.conftest import client_for
from tests.helpers import make_unit
from units import views_staff
from units.models import Unit

pytestmark = pytest.mark.django_db

UNITS = reverse("unit-list")
COMPLAINTS = reverse("complaint-list")


def get(path: str = "/", **params: str) -> Any:
    return RequestFactory().get(path, params)


def walk(qs: QuerySet[Any], per_page: int, **filters: str) -> list[list[Any]]:
    """Every page, first to last, following the next links."""
    pages = []
    page: KeysetPage[Any] = keyset_page(get(**filters), qs, per_page)
    pages.append(list(page))
    while page.has_next:
        request = RequestFactory().get("/?" + page.next_query)
        page = keyset_page(request, qs, per_page)
        pages.append(list(page))
    return pages


def pks(rows: list[Any]) -> list[int]:
    return [row.pk for row in rows]


# --- The cursor -------------------------------------------------------------------------------


def test_a_cursor_round_trips_datetimes_to_the_microsecond_decimals_and_dates() -> None:
    complaints = Complaint.objects.order_by("-received_at", "-id")
    keys = order_keys(complaints)
    moment = dt.datetime(2026, 11, 3, 9, 15, 2, 123456, tzinfo=dt.UTC)
    assert read_cursor(complaints, keys, make_cursor(complaints, keys, [moment, 42])) == [
        moment,
        42,
    ]

    scores = UnitScore.objects.order_by("-total", "unit__name", "pk")
    score_keys = order_keys(scores)
    values = [decimal.Decimal("87.5"), "旅顺口区示例海鲜馆", 7]
    assert read_cursor(scores, score_keys, make_cursor(scores, score_keys, values)) == values


def test_a_cursor_is_refused_when_tampered_with_or_made_for_another_order() -> None:
    complaints = Complaint.objects.order_by("-received_at", "-id")
    keys = order_keys(complaints)
    cursor = make_cursor(complaints, keys, [timezone.now(), 1])
    assert read_cursor(complaints, keys, cursor[:-2] + "xx") is None
    assert read_cursor(complaints, keys, "not-a-cursor") is None
    assert read_cursor(complaints, keys, "x" * 5000) is None

    by_due = Complaint.objects.order_by(F("current_due").asc(nulls_last=True), "-id")
    assert read_cursor(by_due, order_keys(by_due), cursor) is None


def test_the_order_ends_with_the_primary_key_so_that_it_is_total() -> None:
    keys = order_keys(Complaint.objects.order_by("-received_at"))
    assert [(key.path, key.descending) for key in keys] == [("received_at", True), ("pk", True)]
    keys = order_keys(Unit.objects.order_by("-id"))
    assert [key.path for key in keys] == ["id"]


def test_a_random_order_cannot_be_paged_by_keys() -> None:
    with pytest.raises(ValueError, match="random"):
        order_keys(Unit.objects.order_by("?"))


# --- Pages ------------------------------------------------------------------------------------


def test_pages_cover_every_row_once_in_order_when_timestamps_are_equal(
    dengfeng: Jurisdiction,
) -> None:
    day = timezone.localdate() - dt.timedelta(days=2)
    for _ in range(7):  # all received at the same moment
        register(dengfeng, on=day)
    register(dengfeng, on=day - dt.timedelta(days=1))
    qs = Complaint.objects.order_by("-received_at", "-id")

    pages = walk(qs, per_page=3)

    assert [len(page) for page in pages] == [3, 3, 2]
    assert [pk for page in pages for pk in pks(page)] == pks(list(qs))


@pytest.mark.parametrize(
    "order",
    [("name", "id"), ("-name", "-id"), ("-name", "id"), ("name", "-id")],
    ids=["ascending", "descending", "mixed", "mixed-reversed"],
)
def test_pages_follow_long_runs_of_equal_keys_in_either_direction(
    dengfeng: Jurisdiction, order: tuple[str, str]
) -> None:
    for seed in range(9):  # three names, three units each: runs of equal first keys
        make_unit(dengfeng, seed, name=f"同名商店{seed % 3}")
    qs = Unit.objects.order_by(*order)

    pages = walk(qs, per_page=2)

    assert [len(page) for page in pages] == [2, 2, 2, 2, 1]
    assert [pk for page in pages for pk in pks(page)] == pks(list(qs))


def test_keys_running_one_way_are_one_row_comparison_an_index_can_range_over() -> None:
    same_way = Unit.objects.order_by("-name", "-id")
    mixed = Unit.objects.order_by("-name", "id")

    one = str(same_way.filter(keyset.after_condition(order_keys(same_way), ["店", 5])).query)
    two = str(mixed.filter(keyset.after_condition(order_keys(mixed), ["店", 5])).query)

    assert '("units_unit"."name", "units_unit"."id") <' in one
    assert '("units_unit"."name", "units_unit"."id")' not in two


def test_previous_page_returns_the_rows_of_the_page_before(dengfeng: Jurisdiction) -> None:
    units = [make_unit(dengfeng, seed) for seed in range(7)]
    qs = Unit.objects.order_by("-id")
    first = keyset_page(get(), qs, 3)
    second = keyset_page(get("/", **_params(first.next_query)), qs, 3)
    third = keyset_page(get("/", **_params(second.next_query)), qs, 3)

    back = keyset_page(get("/", **_params(third.previous_query)), qs, 3)

    assert pks(list(back)) == pks(list(second)) == [u.pk for u in reversed(units)][3:6]
    assert back.has_next
    assert back.has_previous
    assert not first.has_previous
    assert not third.has_next


def test_nulls_keep_their_place_across_pages(dengfeng: Jurisdiction) -> None:
    day = timezone.localdate() - dt.timedelta(days=3)
    for number in range(6):
        complaint = register(dengfeng, on=day)
        if number % 2:  # half without a running clock
            Complaint.objects.filter(pk=complaint.pk).update(current_due=None)
    qs = Complaint.objects.order_by(F("current_due").asc(nulls_last=True), "-id")

    pages = walk(qs, per_page=4)

    assert [pk for page in pages for pk in pks(page)] == pks(list(qs))


def test_a_bad_cursor_gives_the_first_page_not_an_error(
    district_staff: User, dengfeng: Jurisdiction
) -> None:
    for seed in range(3):
        make_unit(dengfeng, seed)
    client = client_for(district_staff)
    first = client.get(UNITS)
    for bad in ("garbage", "eyJvIjoi", "a:b:c", "%00"):
        response = client.get(UNITS, {"after": bad})
        assert response.status_code == 200
        assert pks(list(response.context["page"])) == pks(list(first.context["page"]))
    assert client.get(COMPLAINTS, {"before": "garbage"}).status_code == 200


def test_filters_are_kept_across_pages(district_staff: User, dengfeng: Jurisdiction) -> None:
    for seed in range(55):
        make_unit(dengfeng, seed, industry=("retail", "catering")[seed % 5 == 0])
    client = client_for(district_staff)

    first = client.get(UNITS, {"industry": "retail"})
    second = client.get(f"{UNITS}?{first.context['page'].next_query}")

    retail = Unit.objects.filter(industry="retail").order_by("-id")
    assert pks(list(first.context["page"])) == pks(list(retail[:50]))
    assert pks(list(second.context["page"])) == pks(list(retail[50:]))
    assert second.context["page"].paginator.count == 44
    assert "industry=retail" in second.context["page"].previous_query


def test_the_filter_chips_link_back_to_the_first_page(
    district_staff: User, dengfeng: Jurisdiction
) -> None:
    for seed in range(55):
        make_unit(dengfeng, seed)
    client = client_for(district_staff)
    first = client.get(UNITS, {"industry": "retail"})
    html = client.get(f"{UNITS}?{first.context['page'].next_query}").content.decode()
    assert f'href="{UNITS}"' in html  # the industry chip: no filter and no cursor


def test_a_deep_page_costs_the_queries_of_the_first(
    district_staff: User, dengfeng: Jurisdiction, django_assert_max_num_queries: Any
) -> None:
    for seed in range(120):
        make_unit(dengfeng, seed)
    client = client_for(district_staff)
    second = client.get(UNITS).context["page"].next_query
    third = client.get(f"{UNITS}?{second}").context["page"].next_query
    with django_assert_max_num_queries(9):  # as the first page (tests/units/test_staff_list.py)
        assert client.get(f"{UNITS}?{third}").status_code == 200


# --- The total --------------------------------------------------------------------------------


def test_a_first_page_that_holds_the_whole_list_is_its_own_total(dengfeng: Jurisdiction) -> None:
    for seed in range(3):
        make_unit(dengfeng, seed)
    qs = Unit.objects.order_by("-id")

    with CaptureQueriesContext(connection) as queries:
        page = keyset_page(get(), qs, 25)

    assert page.paginator == keyset.Total(3)
    assert len(queries.captured_queries) == 1  # the page's rows, no count


def test_the_total_is_exact_below_the_limit(dengfeng: Jurisdiction) -> None:
    for seed in range(4):
        make_unit(dengfeng, seed)
    assert keyset.estimated_count(Unit.objects.all()) == keyset.Total(4)


def test_the_limit_keeps_the_capped_count_to_a_thousand_rows() -> None:
    # At city scale the capped count of a common name search reads about one heap block a row
    # (docs/benchmarks.md, "The staff lists").
    assert keyset.EXACT_COUNT_LIMIT == 1_000


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's estimates")
def test_above_the_limit_a_filtered_total_is_more_than_the_limit(
    dengfeng: Jurisdiction, monkeypatch: pytest.MonkeyPatch
) -> None:
    for seed in range(12):
        make_unit(dengfeng, seed)
    monkeypatch.setattr(keyset, "EXACT_COUNT_LIMIT", 5)
    total = keyset.estimated_count(Unit.objects.filter(industry="retail"))
    assert total == keyset.Total(5, more=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's estimates")
def test_above_the_limit_an_unfiltered_total_is_postgresqls_estimate(
    dengfeng: Jurisdiction, monkeypatch: pytest.MonkeyPatch
) -> None:
    for seed in range(12):
        make_unit(dengfeng, seed)
    monkeypatch.setattr(keyset, "EXACT_COUNT_LIMIT", 5)
    total = keyset.estimated_count(Unit.objects.all())
    assert total.estimated
    assert total.count >= 6


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's estimates")
def test_a_filtered_list_past_the_limit_says_more_than_the_limit(
    district_staff: User, dengfeng: Jurisdiction, monkeypatch: pytest.MonkeyPatch
) -> None:
    for seed in range(12):
        make_unit(dengfeng, seed)
    monkeypatch.setattr(keyset, "EXACT_COUNT_LIMIT", 5)
    # Pages of 10: a first page holding the whole list would be its own total, never counted.
    monkeypatch.setattr(views_staff, "PAGE_SIZE", 10)
    client = client_for(district_staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the footer's switcher
    html = client.get(UNITS, {"industry": "retail"}).content.decode()
    assert html.count("More than 5 records") == 2  # the table's caption and the pagination


@pytest.mark.parametrize(
    ("total", "shown"),
    [
        (keyset.Total(1_000, more=True), "More than 1,000 records"),
        (keyset.Total(1_234_567, estimated=True), "About 1234567 records in all"),
        (keyset.Total(7), "7 records in all"),
    ],
)
def test_the_total_reads_as_exact_about_or_more_than(total: keyset.Total, shown: str) -> None:
    with translation.override("en"):
        html = render_to_string(
            "includes/keyset_total.html", {"page": SimpleNamespace(paginator=total)}
        )
    assert html.strip() == shown


def _params(query: str) -> dict[str, str]:
    from urllib.parse import parse_qsl

    return dict(parse_qsl(query))
