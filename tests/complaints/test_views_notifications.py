"""The in-app notification list and the unread badge in the header."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from complaints.overdue import flag_overdue
from lyushunkou.models import Jurisdiction, Notification, User
from lyushunkou.notifications import notify
from tests.complaints.helpers import register
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

LIST = reverse("notification-list")
READ = reverse("notification-mark-all-read")


def badge(client: Client) -> str:
    html = client.get(reverse("home")).content.decode()
    start = html.index('data-testid="notification-badge"')
    return html[start : html.index("</a>", start)]


def test_overdue_complaints_reach_the_responsible_staffs_list_and_badge(
    street_staff: User, dengfeng: Jurisdiction
) -> None:
    complaint = register(dengfeng, on=timezone.localdate() - dt.timedelta(days=30))
    assert flag_overdue() == 1
    client = client_for(street_staff)
    assert ">1<" in badge(client)
    page = client.get(LIST)
    html = page.content.decode()
    assert complaint.record_no in html
    assert f'href="/complaints/{complaint.pk}/"' in html
    assert 'data-unread="1"' in html


def test_the_list_is_newest_first_and_only_the_users_own(
    district_staff: User, street_staff: User
) -> None:
    notify([district_staff], message="第一条", key="a")
    notify([district_staff], message="第二条", key="b")
    notify([street_staff], message="别人的", key="c")
    page = client_for(district_staff).get(LIST)
    assert [n.message for n in page.context["page"]] == ["第二条", "第一条"]


def test_mark_all_read_clears_the_badge(district_staff: User, street_staff: User) -> None:
    notify([district_staff, street_staff], message="逾期提醒", key="x")
    client = client_for(district_staff)
    assert client.get(READ).status_code == 405
    assert client.post(READ).status_code == 302
    assert not Notification.objects.filter(user=district_staff, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=street_staff, read_at__isnull=True).exists()
    assert "badge text-bg-warning" not in badge(client)
    assert 'data-unread="1"' not in client.get(LIST).content.decode()


@pytest.mark.parametrize("persona", ["operator", "leader", "sysadmin", "auditor"])
def test_every_logged_in_role_has_a_list(persona: str, request: pytest.FixtureRequest) -> None:
    assert client_for(request.getfixturevalue(persona)).get(LIST).status_code == 200


def test_anonymous_is_sent_to_login(client: Client) -> None:
    assert client.get(LIST).status_code == 302
    assert client.post(READ).status_code == 302


def test_the_badge_costs_one_count_query(district_staff: User) -> None:
    for n in range(5):
        notify([district_staff], message=f"提醒{n}", key=f"k{n}")
    client = client_for(district_staff)
    with CaptureQueriesContext(connection) as context:
        client.get(reverse("home"))
    counts = [q["sql"] for q in context.captured_queries if "lyushunkou_notification" in q["sql"]]
    assert len(counts) == 1
    assert "COUNT(" in counts[0]
