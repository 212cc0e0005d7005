"""The annual report's pages of the demonstration areas (issue 21 item 3), added through scoring's
report-section registry: the district's verdict and one page per street with its verdict and every
item not met or lacking evidence, on the issue's hand-checked fixture of two streets (登峰 meets
every item; 得胜 lacks its emergency plan and has 85% complaint satisfaction)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from lyushunkou.models import Jurisdiction, User
from scoring import periods
from scoring.reports import render as report_render
from scoring.reports.data import gather
from scoring.reports.sections import SECTIONS
from tests.areas.helpers import YEAR, meet_every_item

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
ANNUAL = periods.parse(str(YEAR))


@pytest.fixture
def two_streets(dengfeng: Jurisdiction, desheng: Jurisdiction, district_staff: User) -> None:
    meet_every_item(dengfeng, YEAR, district_staff)
    meet_every_item(
        desheng,
        YEAR,
        district_staff,
        skip=("safety_emergency",),
        figures={"complaint_satisfaction_rate": "0.85"},
    )


def areas_section(data: dict[str, Any]) -> dict[str, Any]:
    (section,) = [s for s in data["extra_sections"] if s["key"] == "areas"]
    found: dict[str, Any] = section["data"]
    return found


def page_of(data: dict[str, Any], code: str) -> dict[str, Any]:
    pages: list[dict[str, Any]] = [p for p in areas_section(data)["streets"] if p["code"] == code]
    (page,) = pages
    return page


def test_areas_registers_one_report_section() -> None:
    assert [s.key for s in SECTIONS].count("areas") == 1


def test_scoring_names_no_app_above_it_in_the_section_registry() -> None:
    assert "areas" not in (ROOT / "scoring/reports/sections.py").read_text(encoding="utf-8")


def test_the_annual_report_has_a_page_for_every_active_street(two_streets: None) -> None:
    data = gather(kind="annual", period=ANNUAL)
    codes = [page["code"] for page in areas_section(data)["streets"]]
    streets = Jurisdiction.objects.filter(active=True, kind=Jurisdiction.Kind.STREET)
    assert sorted(codes) == sorted(streets.values_list("code", flat=True))


def test_the_street_meeting_every_item_meets_the_standard_with_nothing_unmet(
    two_streets: None, dengfeng: Jurisdiction
) -> None:
    page = page_of(gather(kind="annual", period=ANNUAL), dengfeng.code)
    assert page["verdict"] == "met"
    assert page["unmet"] == []
    assert page["met"] == page["items"] == 11


def test_the_other_street_does_not_and_names_exactly_its_two_unmet_items(
    two_streets: None, desheng: Jurisdiction
) -> None:
    page = page_of(gather(kind="annual", period=ANNUAL), desheng.code)
    assert page["verdict"] == "not_met"
    labels = [item["label"] for item in page["unmet"]]
    assert labels == [
        "建立安全管理责任制度和公共安全突发事件应急预案",
        "年度目标达成",
    ]
    assert [item["status"] for item in page["unmet"]] == ["no_data", "not_met"]


def test_the_district_page_gives_the_district_verdict(two_streets: None) -> None:
    district = areas_section(gather(kind="annual", period=ANNUAL))["district"]
    assert district["verdict"] == "not_met"  # 得胜 does not meet the standard


def test_a_streets_report_has_that_streets_page_only(
    two_streets: None, desheng: Jurisdiction
) -> None:
    section = areas_section(gather(kind="annual", period=ANNUAL, scope_code=desheng.code))
    assert [page["code"] for page in section["streets"]] == [desheng.code]
    assert section["district"] is None


def test_monthly_and_quarterly_reports_have_no_areas_pages(two_streets: None) -> None:
    for key in (f"{YEAR}-06", f"{YEAR}-Q2"):
        data = gather(kind="monthly", period=periods.parse(key))
        assert [s for s in data["extra_sections"] if s["key"] == "areas"] == []


def test_the_section_reads_the_same_queries_however_many_records(
    dengfeng: Jurisdiction, desheng: Jurisdiction, district_staff: User
) -> None:
    with CaptureQueriesContext(connection) as before:
        gather(kind="annual", period=ANNUAL)
    meet_every_item(dengfeng, YEAR, district_staff)
    meet_every_item(desheng, YEAR, district_staff)
    with CaptureQueriesContext(connection) as after:
        gather(kind="annual", period=ANNUAL)
    assert len(after) == len(before)


def test_the_annual_pdf_shows_both_streets_on_pages_of_their_own(
    two_streets: None, django_assert_num_queries: Any
) -> None:
    data = gather(kind="annual", period=ANNUAL)
    with django_assert_num_queries(0):
        rendered = report_render.render_pdf(data)
    path = Path(default_storage.path("areas.pdf"))
    path.write_bytes(rendered.content)
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]
    dengfeng_pages = [text for text in pages if text.startswith("登峰街道：")]
    desheng_pages = [text for text in pages if text.startswith("得胜街道：")]
    assert len(dengfeng_pages) == 1
    assert len(desheng_pages) == 1
    assert "应急预案" in desheng_pages[0]
    assert "应急预案" not in dengfeng_pages[0]
