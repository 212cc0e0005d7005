"""The demonstration areas' card on the leaders' dashboard (issue 21 item 2): this year's verdict
of each street counted by 达标 / 未达标 / 材料不全 and the district's verdict, linked to the areas
page; registered through scoring's card registry, which names no app above it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from areas.models import AreaCriterion
from areas.models_assessment import AreaVerdict
from areas.services import confirmation_save
from lyushunkou.models import Jurisdiction, User
from scoring.dashboard_cards import CARDS
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
    for name in ("scoring/dashboard_cards.py", "scoring/templatetags/dashboard_cards.py"):
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
    today = timezone.localdate()
    AreaVerdict.objects.create(
        place=district,
        year=today.year,
        number=1,
        verdict="not_met",
        issued_on=today,
        issued_by=district_staff,
        issued_at=timezone.now(),
    )
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


def test_the_card_takes_the_same_queries_however_many_records(
    leader: User,
    district_staff: User,
    dengfeng: Jurisdiction,
    desheng: Jurisdiction,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(leader)
    client.get(DASHBOARD)
    with CaptureQueriesContext(connection) as before:
        client.get(DASHBOARD)
    for place in (dengfeng, desheng):
        for code in ("safety_emergency", "joint_conference", "leadership"):
            record_not_in_place(place, district_staff, code)
    with CaptureQueriesContext(connection) as after:
        client.get(DASHBOARD)
    assert len(after) == len(before)
