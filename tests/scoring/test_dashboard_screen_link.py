"""The leader dashboard links to the big screen (大屏展示) for the same period and scope."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from lyushunkou.models import Jurisdiction, User
from tests.conftest import client_for
from tests.helpers import english

pytestmark = pytest.mark.django_db


def screen_link(client: Client, **params: str) -> str:
    html = client.get(reverse("dashboard"), params).content.decode()
    match = re.search(r'<a [^>]*href="([^"]+)" data-testid="dashboard-screen-link">', html)
    assert match, "no link to the big screen"
    return match.group(1).replace("&amp;", "&")


def test_the_dashboard_links_to_the_big_screen_of_its_period_and_scope(
    leader: User, dengfeng: Jurisdiction
) -> None:
    link = screen_link(client_for(leader), period="2026-10", scope=dengfeng.code)
    assert urlsplit(link).path == reverse("dashboard-screen")
    assert parse_qs(urlsplit(link).query) == {"period": ["2026-10"], "scope": [dengfeng.code]}


def test_the_big_screen_link_opens_the_screen(leader: User) -> None:
    client = client_for(leader)
    response = client.get(screen_link(client, period="2026-10"))
    assert response.status_code == 200
    assert response.context["scope"].code == "district"


def test_the_link_is_labelled_big_screen_display(leader: User) -> None:
    client = english(leader)
    html = client.get(reverse("dashboard"), {"period": "2026-10"}).content.decode()
    assert 'data-testid="dashboard-screen-link">Big screen display</a>' in html


def test_with_a_malformed_period_the_link_opens_the_default_screen(leader: User) -> None:
    link = screen_link(client_for(leader), period="2026-13")
    assert link == reverse("dashboard-screen")
