"""Every list page's filters and search, fuzzed: no input is a 500 (issue 16, item 4).

For each list a persona sees (the rows of ``tests/test_access_matrix.py`` that answer 200 to
staff, leaders, operators or everyone), hypothesis sends its filter parameters — taken from the
FilterSet or form itself, so a new filter is fuzzed without editing this file — holding any
Unicode text, NULs and other control characters, and 10 000-character values. CI runs this on
PostgreSQL, where a NUL that reaches a query fails. ``derandomize`` makes every run send the
same examples: a failure reproduces, and the suite cannot flake.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaints.filters import ComplaintFilter, SurveyFilter
from inspections.filters import SamplingFilter
from inspections.forms_entry import FiguresForm
from scoring.grading.forms import AppealFilter, ScoreFilter
from scoring.reports.filters import ReportFilter
from tests.conftest import client_for
from units.filters import UnitFilter
from units.filters_review import ApplicationFilter
from units.models import Unit
from units.selectors_public import DirectoryFilter

pytestmark = pytest.mark.django_db

EXAMPLES = 12  # per list: 23 lists on 2 cores stay well under a minute


@dataclass(frozen=True)
class ListPage:
    name: str
    persona: str  # a fixture of tests/conftest.py; "client" is the anonymous visitor
    params: tuple[str, ...]
    kwargs: tuple[tuple[str, str], ...] = ()


def filters(filterset: Any) -> tuple[str, ...]:
    return (*filterset.base_filters, "page")


LISTS = [
    ListPage("unit-list", "district_staff", filters(UnitFilter)),
    ListPage("unit-list", "street_staff", filters(UnitFilter)),
    ListPage("application-list", "district_staff", filters(ApplicationFilter)),
    ListPage("claim-list", "district_staff", ("page",)),
    ListPage("directory", "client", filters(DirectoryFilter)),
    ListPage("complaint-list", "district_staff", filters(ComplaintFilter)),
    ListPage("complaint-list", "leader", filters(ComplaintFilter)),
    ListPage("survey-list", "district_staff", filters(SurveyFilter)),
    ListPage("sampling-list", "district_staff", filters(SamplingFilter)),
    ListPage("sampling-balance", "district_staff", ("year", "category")),
    ListPage("sampling-figures", "leader", (*FiguresForm.base_fields, "page")),
    ListPage("check-list", "district_staff", ("type", "page")),
    ListPage("finding-list", "street_staff", ("open", "page")),
    *(
        ListPage("record-list", "district_staff", ("page",), (("kind", kind),))
        for kind in ("penalties", "listings", "incidents")
    ),
    ListPage("jurisdiction-list", "leader", ("page",)),
    ListPage("notification-list", "operator", ("page",)),
    ListPage("workspace-complaints", "operator", ("page",)),
    ListPage("operator-score-list", "operator", ("page",)),
    ListPage("score-list", "leader", filters(ScoreFilter)),
    ListPage("appeal-list", "district_staff", filters(AppealFilter)),
    ListPage("areas-staff", "leader", ("year",)),
    ListPage("report-list", "district_staff", filters(ReportFilter)),
    ListPage("dashboard", "leader", ("scope", "period")),
    ListPage("dashboard", "street_staff", ("scope", "period")),
]

CONTROLS = st.characters(min_codepoint=0, max_codepoint=0x9F)
VALUES = st.one_of(
    st.text(max_size=40),  # any Unicode but surrogates (which no request can carry)
    st.text(CONTROLS, min_size=1, max_size=10),
    st.builds(lambda a, b: f"{a}\x00{b}", st.text(max_size=10), st.text(max_size=10)),
    st.builds(lambda c: c * 10_000, st.characters(codec="utf-8")),
    st.sampled_from(["-1", "0", "99999999999999999999", "2025-13-45", "2025Q5", "1e309"]),
)


def query(params: tuple[str, ...]) -> st.SearchStrategy[dict[str, str]]:
    return st.dictionaries(st.sampled_from(params), VALUES, min_size=1, max_size=3)


@pytest.mark.parametrize(
    "page", LISTS, ids=[f"{page.name}-{page.persona}-{dict(page.kwargs)}" for page in LISTS]
)
def test_no_filter_value_makes_a_list_fail(
    page: ListPage, request: pytest.FixtureRequest, unit: Unit
) -> None:
    user = None if page.persona == "client" else request.getfixturevalue(page.persona)
    client = Client() if user is None else client_for(user)
    client.raise_request_exception = False  # a 500 is what is asserted, with its URL
    url = reverse(page.name, kwargs=dict(page.kwargs))
    assert client.get(url).status_code == 200, "the persona must see the list"

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(params=query(page.params))
    def check(params: dict[str, str]) -> None:
        response = client.get(url, params)
        assert response.status_code < 500, (url, params)

    check()
