"""The demonstration areas' card on the leaders' dashboard (issue 21 item 2): this year's verdict
of each street counted by 达标 / 未达标 / 材料不全 and the district's verdict, linked to the areas
page; registered through scoring's card registry, which names no app above it. The card reads the
year's summary from the cache while its inputs are unchanged (issue 14: the dashboard's cost), and
any change through the portal is on the next load."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from areas.extensions import dashboard_card
from areas.models import AreaConfirmation, AreaCriterion
from areas.models_assessment import AreaVerdict
from areas.services import confirmation_save
from lyushunkou.models import Jurisdiction, User
from scoring.models import TargetResult
from scoring.targets.dashboard.cards import CARDS
from tests.areas.helpers import community, point, target
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("dashboard")
ROOT = Path(__file__).resolve().parents[2]


def record_not_in_place(place: Jurisdiction, staff: User, code: str = "safety_emergency") -> None:
    confirmation_save(
        place=place,
        year=timezone.localdate().year,
        criterion=AreaCriterion.objects.get(code=code),
        record=None,
        by=staff,
        version=0,
        in_place=False,
        note="应急预案尚未制定",
    )


def issue_district_verdict(district: Jurisdiction, by: User) -> AreaVerdict:
    """This year's district verdict, 未达标, issued today by ``by``."""
    today = timezone.localdate()
    return AreaVerdict.objects.create(
        place=district,
        year=today.year,
        number=1,
        verdict="not_met",
        issued_on=today,
        issued_by=by,
        issued_at=timezone.now(),
    )


def counts(html: str) -> dict[str, int]:
    found = {}
    for verdict in ("met", "not_met", "incomplete"):
        marker = f'data-verdict-count="{verdict}">'
        start = html.index(marker)
        strong = html.index("<strong>", start) + len("<strong>")
        found[verdict] = int(html[strong : html.index("</strong>", strong)])
    return found


def active_streets() -> int:
    return Jurisdiction.objects.filter(active=True, kind=Jurisdiction.Kind.STREET).count()


def test_areas_registers_one_card_with_scoring() -> None:
    assert [card.key for card in CARDS].count("areas") == 1


def test_scoring_names_no_app_above_it_in_the_card_registry() -> None:
    for name in ("scoring/targets/dashboard/cards.py", "scoring/templatetags/dashboard_cards.py"):
        assert "areas" not in (ROOT / name).read_text(encoding="utf-8")


def test_the_leader_sees_each_verdict_counted_over_the_streets(
    leader: User, district_staff: User, dengfeng: Jurisdiction
) -> None:
    record_not_in_place(dengfeng, district_staff)
    html = client_for(leader).get(DASHBOARD).content.decode()
    assert 'data-testid="areas-card"' in html
    assert counts(html) == {"met": 0, "not_met": 1, "incomplete": active_streets() - 1}


def test_the_district_verdict_is_on_the_card(
    leader: User, district_staff: User, dengfeng: Jurisdiction
) -> None:
    record_not_in_place(dengfeng, district_staff)
    html = client_for(leader).get(DASHBOARD).content.decode()
    start = html.index('data-testid="areas-card-district"')
    assert 'data-verdict="not_met"' in html[start : html.index("</p>", start)]


def test_the_card_links_to_the_areas_page_of_the_year(leader: User) -> None:
    html = client_for(leader).get(DASHBOARD).content.decode()
    year = timezone.localdate().year
    assert f'href="{reverse("areas-staff")}?year={year}" data-testid="areas-card-link"' in html


def test_the_district_verdict_issued_is_shown_beside(
    leader: User, district_staff: User, district: Jurisdiction
) -> None:
    issue_district_verdict(district, district_staff)
    html = client_for(leader).get(DASHBOARD).content.decode()
    start = html.index('data-testid="areas-card-district"')
    assert 'data-testid="issued-verdict"' in html[start : html.index("</p>", start)]


def test_street_staff_see_their_own_street_and_no_district_line(
    street_staff: User, district_staff: User, dengfeng: Jurisdiction
) -> None:
    record_not_in_place(dengfeng, district_staff)
    html = client_for(street_staff).get(DASHBOARD).content.decode()
    assert counts(html) == {"met": 0, "not_met": 1, "incomplete": 0}
    assert 'data-testid="areas-card-district"' not in html


def load_dashboard(client: Any) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(DASHBOARD).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_a_warm_card_reads_two_queries(leader: User, django_assert_num_queries: Any) -> None:
    today = timezone.localdate()
    dashboard_card(leader, today)
    # The places the leader reads; the stamp of the year's inputs. The summary is the cache's.
    with django_assert_num_queries(2):
        card = dashboard_card(leader, today)
    assert card is not None
    assert card["streets"] == active_streets()


def test_a_cold_card_judges_the_year_in_a_fixed_number_of_queries(
    leader: User,
    district_staff: User,
    dengfeng: Jurisdiction,
    desheng: Jurisdiction,
    django_assert_num_queries: Any,
) -> None:
    today = timezone.localdate()
    # The places and the stamp; the year's facts without the complaints (criteria, item
    # records, activities, coverage, points taking complaints, targets); the district and its
    # streets; the verdicts issued.
    with django_assert_num_queries(11):
        dashboard_card(leader, today)
    for place in (dengfeng, desheng):
        for code in ("safety_emergency", "joint_conference", "leadership"):
            record_not_in_place(place, district_staff, code)
    with django_assert_num_queries(11):
        dashboard_card(leader, today)


def test_the_dashboard_reads_no_complaints_for_the_card(leader: User) -> None:
    # Only the "channels open" item's words read the year's complaints by channel.
    queries = load_dashboard(client_for(leader))
    assert not any('"channel"' in sql for sql in queries)


def test_the_dashboard_takes_the_same_queries_however_many_records(
    leader: User, district_staff: User, dengfeng: Jurisdiction, desheng: Jurisdiction
) -> None:
    client = client_for(leader)
    load_dashboard(client)
    before = load_dashboard(client)
    for place in (dengfeng, desheng):
        for code in ("safety_emergency", "joint_conference", "leadership"):
            record_not_in_place(place, district_staff, code)
        point(community(place), district_staff)
    load_dashboard(client)  # judges the year again: its inputs changed
    after = load_dashboard(client)
    assert len(after) == len(before)


def test_an_item_recorded_is_on_the_next_load(
    leader: User, district_staff: User, dengfeng: Jurisdiction
) -> None:
    client = client_for(leader)
    assert counts(client.get(DASHBOARD).content.decode())["not_met"] == 0
    record_not_in_place(dengfeng, district_staff)
    assert counts(client.get(DASHBOARD).content.decode())["not_met"] == 1


def test_a_record_changed_through_its_service_is_on_the_next_load(
    leader: User, district_staff: User, dengfeng: Jurisdiction
) -> None:
    client = client_for(leader)
    record_not_in_place(dengfeng, district_staff)
    assert counts(client.get(DASHBOARD).content.decode())["not_met"] == 1
    record = AreaConfirmation.objects.get(place=dengfeng)
    confirmation_save(
        place=dengfeng,
        year=record.year,
        criterion=record.criterion,
        record=record,
        by=district_staff,
        version=record.version,
        in_place=True,
        note="应急预案已制定",
    )
    assert counts(client.get(DASHBOARD).content.decode())["not_met"] == 0


def test_targets_evaluated_again_are_on_the_next_load(leader: User, dengfeng: Jurisdiction) -> None:
    client = client_for(leader)
    year = timezone.localdate().year
    row = target(dengfeng.code, "complaint_satisfaction_rate", "0.95", 40, year=year)
    assert counts(client.get(DASHBOARD).content.decode())["not_met"] == 0
    TargetResult.objects.filter(pk=row.pk).update(
        value=Decimal("0.85"), evaluated_at=row.evaluated_at + dt.timedelta(minutes=30)
    )
    assert counts(client.get(DASHBOARD).content.decode())["not_met"] == 1


def test_a_verdict_issued_is_on_the_next_load(
    leader: User, district_staff: User, district: Jurisdiction
) -> None:
    client = client_for(leader)
    assert 'data-testid="issued-verdict"' not in client.get(DASHBOARD).content.decode()
    issue_district_verdict(district, district_staff)
    assert 'data-testid="issued-verdict"' in client.get(DASHBOARD).content.decode()


def test_a_street_made_inactive_leaves_the_count_on_the_next_load(
    leader: User, dengfeng: Jurisdiction
) -> None:
    client = client_for(leader)
    streets = active_streets()
    assert sum(counts(client.get(DASHBOARD).content.decode()).values()) == streets
    Jurisdiction.objects.filter(pk=dengfeng.pk).update(active=False)
    assert sum(counts(client.get(DASHBOARD).content.decode()).values()) == streets - 1
