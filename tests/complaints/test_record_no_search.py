"""The staff list's record-number search (``?q=``) and its trigram index on PostgreSQL
(migration complaints 0005, issue 17 item 1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from complaints.filters import ComplaintFilter, complaint_list_queryset
from lyushunkou.models import Jurisdiction, User
from tests.complaints.helpers import register
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

LIST = reverse("complaint-list")
ON = dt.date(2026, 11, 2)


def test_the_search_finds_a_record_number_from_any_part_in_any_case(
    district_staff: User, dengfeng: Jurisdiction
) -> None:
    wanted = register(dengfeng, on=ON, record_no="LSK-2026-0417")
    other = register(dengfeng, on=ON, record_no="LSK-2026-0518")
    listing = client_for(district_staff).get(LIST, {"q": "2026-04"}).content.decode()
    assert wanted.record_no in listing
    assert other.record_no not in listing
    lower = client_for(district_staff).get(LIST, {"q": "lsk-2026-0518"}).content.decode()
    assert other.record_no in lower


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index is PostgreSQL's")
def test_a_search_of_three_characters_or_more_reads_the_trigram_index(
    district_staff: User,
) -> None:
    qs = ComplaintFilter(
        {"q": "0417"}, queryset=complaint_list_queryset(district_staff)
    ).qs.order_by()
    with connection.cursor() as cursor:
        # A test table is too small for the planner to prefer any index; with scans that read
        # the table or walk another index ruled out, only an index on the very expression the
        # search compiles to can answer it.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = qs.values("pk").explain()
    assert "complaint_record_no_trgm" in plan
