"""A block's figures on its public page (issue 12, item 6): its members' complaints and sampling
batches of the period asked for, and the periods as the programme writes them. The fixtures (the
block 旅顺老街商圈 and its members) are in tests/units/conftest.py; its June 2025 records below.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complaints import services as complaint_services
from lyushunkou.models import Jurisdiction, User
from tests.complaints.helpers import register as register_complaint
from tests.inspections.helpers import batch as record_batch
from tests.units.blocks_helpers import JUNE
from units.forms_blocks import last_complete_month, parse_period
from units.models import DemonstrationBlock, Unit

pytestmark = pytest.mark.django_db


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
