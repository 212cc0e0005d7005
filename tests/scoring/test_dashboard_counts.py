"""The leader dashboard: every figure and the list behind it count the same records, the numbers
counted by hand, and the warning list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections import services as inspection_services
from lyushunkou.models import Jurisdiction, User
from scoring import periods, targets
from scoring.targets import dashboard
from tests.complaints.helpers import register
from tests.conftest import DENGFENG, client_for
from tests.helpers import make_unit
from tests.inspections.helpers import batch as record_batch
from tests.scoring.dashboard_helpers import (
    URL,
    href,
    listed,
    query,
    warning_unit,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_minimum_sample")]


# --- Every figure and the lists behind it count the same records ----------------------------------
#
# A month of known records, evaluated by scoring.targets.refresh as the nightly job does; then, for
# the district and for 登峰街道 (with a park below it), every number on the dashboard must equal
# the number of rows of the list its link opens. The month is the last complete one, so that the
# services accept every date and the open complaints keep their state between the evaluation
# and the lists.


@pytest.mark.parametrize("scope", ["district", DENGFENG])
def test_every_number_on_the_dashboard_is_the_number_of_rows_its_link_lists(
    leader: User, month_of_records: periods.Period, scope: str
) -> None:
    client = client_for(leader)
    board = client.get(URL, {"period": month_of_records.key, "scope": scope}).context["board"]
    rows = {row.key: row for row in board.targets}
    assert set(rows) == set(targets.TARGET_KEYS)
    for key, row in rows.items():
        assert row.numerator_url, key
        assert listed(client, row.numerator_url) == int(row.numerator), key
        if key == "food_sampling_per_thousand":
            assert row.denominator_url is None  # thousands of residents
            assert row.url == row.numerator_url
            continue
        assert row.denominator_url, key
        assert row.url == row.denominator_url, key
        assert listed(client, row.denominator_url) == int(row.denominator), key
        assert int(row.denominator) > 0, key  # the fixture gives every figure some data


def test_the_counts_are_those_counted_by_hand(
    leader: User, month_of_records: periods.Period
) -> None:
    """The fixture's arithmetic, so that the test above cannot pass on two wrong counts."""
    board = client_for(leader).get(URL, {"period": month_of_records.key, "scope": DENGFENG})
    rows = {row.key: (row.numerator, row.denominator) for row in board.context["board"].targets}
    assert rows["complaint_handling_rate"] == ("7", "8")  # 6 concluded + refused; + 1 overdue
    assert rows["complaint_resolution_rate"] == ("3", "6")
    assert rows["complaint_satisfaction_rate"] == ("4", "5")
    assert rows["key_goods_sampling_pass_rate"] == ("3", "4")
    assert rows["food_sampling_pass_rate"] == ("2", "5")
    assert rows["food_sampling_per_thousand"][0] == "7"
    # Supervisory batches of the circulation stage (the key goods here are production's).
    assert rows["problem_detection_rate"] == ("2", "4")
    assert rows["station_coverage"] == ("3", "6")
    assert rows["programme_awareness_rate"] == ("4", "6")
    assert rows["programme_recognition_rate"] == ("3", "4")
    assert rows["life_services_satisfaction"] == ("4", "6")


def test_units_in_warning_overdue_complaints_and_disposals_link_to_their_lists(
    leader: User, street_staff: User, dengfeng: Jurisdiction, desheng: Jurisdiction
) -> None:
    today = timezone.localdate()
    shown = [warning_unit(dengfeng, n) for n in range(3)]
    warning_unit(desheng, 10)
    make_unit(dengfeng, 20)  # not in warning
    register(dengfeng, on=today - dt.timedelta(days=40))  # acceptance long overdue
    register(dengfeng, on=today)  # within its time limit
    failed = record_batch(street_staff, dengfeng, result="fail")
    inspection_services.batch_notify(
        batch=failed, by=street_staff, notified_on=today - dt.timedelta(days=60)
    )
    record_batch(street_staff, dengfeng, result="fail")  # not notified: no clock runs

    response = client_for(leader).get(URL, {"scope": DENGFENG})
    board = response.context["board"]
    assert board.warning.count == 3
    assert board.overdue_complaints.count == 1
    assert board.overdue_disposals.count == 1
    assert {u.pk for u in board.warning_units} == {u.pk for u in shown}
    html = response.content.decode()
    pk = str(dengfeng.pk)
    assert query(href(html, "warning-count")) == {
        "demonstration_status": ["warning"],
        "jurisdiction": [pk],
    }
    assert query(href(html, "overdue-complaints")) == {"clock": ["overdue"], "jurisdiction": [pk]}
    assert query(href(html, "overdue-disposals")) == {"overdue": ["yes"], "jurisdiction": [pk]}
    assert href(html, f"warning-unit-{shown[0].pk}") == reverse("unit-detail", args=[shown[0].pk])
    # The counts agree with the lists they open.
    lists = client_for(leader)
    assert lists.get(href(html, "overdue-complaints")).context["page"].paginator.count == 1
    assert lists.get(href(html, "overdue-disposals")).context["page"].paginator.count == 1
    assert lists.get(href(html, "warning-count")).context["page"].paginator.count == 3

    district = client_for(leader).get(URL).context["board"]
    assert district.warning.count == 4


def test_the_warning_list_is_short(leader: User, dengfeng: Jurisdiction) -> None:
    for n in range(dashboard.WARNING_LIMIT + 3):
        warning_unit(dengfeng, n)
    board = client_for(leader).get(URL).context["board"]
    assert len(board.warning_units) == dashboard.WARNING_LIMIT
    assert board.warning.count == dashboard.WARNING_LIMIT + 3
