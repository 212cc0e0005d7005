"""Every staff list folds its filters into one panel and shows the filters in force as chips, each a
link that drops that one filter (issue 15 item 2; templates/includes/filter_panel.html)."""

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

STAFF_LISTS = (
    "unit-list",
    "application-list",
    "complaint-list",
    "survey-list",
    "sampling-list",
    "check-list",
    "score-list",
    "appeal-list",
    "report-list",
    "notice-manage",
)
CHIP = re.compile(
    r'<a class="[^"]*filter-chip[^"]*" href="([^"]*)"[^>]*data-param="([^"]*)">(.*?)</a>'
)


def chips(html: str) -> dict[str, tuple[str, str]]:
    """param → (the link that drops it, its visible text)."""
    found = {}
    for href, param, inner in CHIP.findall(html):
        text = re.sub(r"<[^>]+>", "", inner)
        found[param] = (href.replace("&amp;", "&"), " ".join(text.split()))
    return found


def page(client: Client, url: str) -> str:
    """The page in English (the language cookie), so assertions hold before the catalogue merge."""
    response = english(client).get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("name", STAFF_LISTS)
def test_every_staff_list_has_the_folded_filter_panel(district_staff: User, name: str) -> None:
    html = page(client_for(district_staff), reverse(name))

    assert html.count('data-testid="filter-panel"') == 1
    form = re.search(r'<form method="get" id="filters" class="([^"]*)"', html)
    assert form is not None
    assert "collapse" in form.group(1).split()
    assert "show" not in form.group(1).split()  # folded: the list starts above the fold
    assert chips(html) == {}


def test_the_filters_in_force_show_as_chips_with_their_labels(
    district_staff: User, dengfeng: Jurisdiction
) -> None:
    url = reverse("complaint-list") + f"?status=accepted&jurisdiction={dengfeng.pk}&q=T00"
    found = chips(page(client_for(district_staff), url))

    assert found["status"][1].startswith("Status：Accepted")
    assert found["jurisdiction"][1].startswith(f"Jurisdiction：{dengfeng.name}")
    assert found["q"][1].startswith("Record number：T00")


def test_each_chip_links_to_the_list_without_that_one_filter(
    district_staff: User, dengfeng: Jurisdiction
) -> None:
    url = reverse("complaint-list") + f"?status=accepted&jurisdiction={dengfeng.pk}&page=2"
    found = chips(page(client_for(district_staff), url))

    href = urlsplit(found["status"][0])
    assert href.path == reverse("complaint-list")
    assert parse_qs(href.query) == {"jurisdiction": [str(dengfeng.pk)]}  # and back to page 1
    assert urlsplit(found["jurisdiction"][0]).query == "status=accepted"


def test_several_values_of_one_filter_make_one_chip(district_staff: User) -> None:
    url = reverse("sampling-list") + "?final_result=pass&final_result=fail"
    found = chips(page(client_for(district_staff), url))

    assert found["final_result"][1].startswith("Final result：Pass、Fail")
    assert found["final_result"][0] == reverse("sampling-list")


def test_an_empty_filter_is_not_a_chip(district_staff: User) -> None:
    html = page(client_for(district_staff), reverse("unit-list") + "?q=&industry=")

    assert chips(html) == {}


def test_the_panel_opens_when_a_filter_is_refused(district_staff: User) -> None:
    html = page(client_for(district_staff), reverse("application-list") + "?year=abc")

    form = re.search(r'<form method="get" id="filters" class="([^"]*)"', html)
    assert form is not None
    assert "show" in form.group(1).split()
    assert chips(html)["year"][1].startswith("year：abc")  # as typed, beside the form's error


def test_the_check_list_filters_by_type(district_staff: User) -> None:
    html = page(client_for(district_staff), reverse("check-list") + "?type=safety")

    assert chips(html)["type"][1].startswith("Type：Safety")
