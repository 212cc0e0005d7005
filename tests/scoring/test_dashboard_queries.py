"""The leader dashboard: a query count that does not grow with the data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lyushunkou.models import Jurisdiction, User
from scoring.targets import dashboard
from tests.complaints.helpers import register
from tests.conftest import DENGFENG, DESHENG, client_for
from tests.inspections.helpers import batch as record_batch
from tests.scoring.dashboard_helpers import (
    PERIOD,
    URL,
    district_results,
    grade_summaries,
    street_results,
    warning_unit,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_minimum_sample")]


# --- Query count ----------------------------------------------------------------------------------


def records(count: int, first: int, jurisdiction: Jurisdiction, staff: User) -> None:
    for n in range(first, first + count):
        warning_unit(jurisdiction, n)
        register(jurisdiction, on=dt.date(2026, 9, 1))
        record_batch(staff, jurisdiction, result="fail")


def test_query_count_does_not_grow_with_the_data(
    leader: User,
    street_staff: User,
    dengfeng: Jurisdiction,
    desheng: Jurisdiction,
    django_assert_num_queries: Any,
) -> None:
    client = client_for(leader)
    district_results(PERIOD)
    street_results(DENGFENG, missed=1)
    grade_summaries(PERIOD, dengfeng)
    records(1, 100, dengfeng, street_staff)
    # Session and user; the user's places, targets and trend, ranking, grades,
    # the warning units and their count, overdue complaints, overdue disposals; the menu's
    # unread notifications; the session saved (idle timeout) in a savepoint. Then the cards of the
    # apps above (scoring.targets.dashboard.cards): the demonstration areas' verdicts take 11 the
    # first time (the places, the stamp of their inputs, the year's seven facts, the district and
    # its streets, the verdicts issued) and 2 (the places, the stamp) while their inputs are
    # unchanged.
    with django_assert_num_queries(14 + 11):
        assert client.get(URL, {"period": PERIOD}).status_code == 200

    for month in (9, 8, 7, 6, 5):
        district_results(f"2026-{month:02d}")
    street_results(DESHENG, missed=2)
    grade_summaries(PERIOD, desheng, scale=50)
    grade_summaries("2026-Q4", dengfeng)
    records(25, 200, desheng, street_staff)
    with django_assert_num_queries(14 + 2):
        response = client.get(URL, {"period": PERIOD})
    board = response.context["board"]
    assert board.warning.count == 26
    assert len(board.warning_units) == dashboard.WARNING_LIMIT
    # The six months evaluated (2026-05 … 2026-10) are the last six of the twelve.
    assert all(None not in s["values"][-6:] for s in board.chart["trend"]["series"][:2])
