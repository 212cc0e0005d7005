"""The periodic reports: a PDF whose text carries the figures of a known fixture."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from inspections.models import SamplingBatch
from lyushunkou.models import Jurisdiction, User
from scoring.models import Report, TargetResult
from scoring.reports import data as report_data
from scoring.reports import render as report_render
from tests.helpers import font_kind
from tests.inspections.helpers import batch
from tests.scoring.reports_helpers import JUNE, line_of, no_data, pdf_lines, render_now

# Most tests render a PDF: seconds each.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root"), pytest.mark.slow]


# --- The PDF ------------------------------------------------------------------------------------


def test_the_pdf_shows_the_target_figures_of_the_fixture_and_no_data_where_missing(
    june_sampling: list[SamplingBatch],
) -> None:
    report = render_now()
    assert report.state == Report.State.DONE
    content = report.file.read()
    assert content.startswith(b"%PDF")
    assert report.size == len(content)
    assert report.sha256 == hashlib.sha256(content).hexdigest()
    assert report.pages == len(PdfReader(report.file.path).pages) > 5
    lines = pdf_lines(content)

    results = {
        r.key: r for r in TargetResult.objects.filter(period="2025-06", scope_code="district")
    }
    food = results["food_sampling_pass_rate"]
    assert (food.numerator, food.denominator) == (Decimal(23), Decimal(24))
    food_line = line_of(lines, food.label)
    assert "95.8%" in food_line
    assert "23 / 24" in food_line

    key_goods = line_of(lines, results["key_goods_sampling_pass_rate"].label)
    assert no_data() in key_goods
    assert "0.0%" not in key_goods
    assert "100.0%" not in key_goods
    resolution = line_of(lines, results["complaint_resolution_rate"].label)
    assert no_data() in resolution
    assert re.search(r"\b(0\.0|100\.0)%", resolution) is None
    # The failed batch is listed with its failed item; no complainant data exists in a report.
    failed = june_sampling[-1]
    assert any(failed.sample_no in line for line in lines)


def test_the_pdf_embeds_a_chinese_font_and_numbers_its_pages(
    june_sampling: list[SamplingBatch],
) -> None:
    report = render_now()
    reader = PdfReader(report.file.path)
    fonts = set()
    for page in reader.pages[:3]:
        resources: Any = page["/Resources"]  # a PDF dictionary: pypdf types it as any PdfObject
        for font in resources["/Font"].values():
            descriptor = font.get_object()
            fonts.add(str(descriptor["/BaseFont"]))
            if "/DescendantFonts" in descriptor:
                inner = descriptor["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                assert "/FontFile2" in inner or "/FontFile3" in inner  # embedded, not referenced
    assert {font_kind(name) for name in fonts} & {"sc", "other-cjk"} == {"sc"}, fonts
    text = reader.pages[2].extract_text()
    with translation.override(report_render.REPORT_LANGUAGE):
        footer = gettext("Page %(page)s of %(pages)s") % {
            "page": 3,
            "pages": len(reader.pages),
        }
    assert " ".join(footer.split()) in " ".join(text.split())


def test_gathering_takes_a_fixed_number_of_queries_and_rendering_none(
    june_sampling: list[SamplingBatch],
    district_staff: User,
    dengfeng: Jurisdiction,
    django_assert_max_num_queries: Any,
    django_assert_num_queries: Any,
) -> None:
    report_data.prepare_targets(JUNE)
    # 30 for the sections, 5 for the written summary's comparisons and deadlines.
    with django_assert_max_num_queries(35):
        data = report_data.gather(kind="monthly", period=JUNE)
    for _ in range(30):
        batch(district_staff, dengfeng, sampled_on=dt.date(2025, 6, 9), result="fail")
    with django_assert_max_num_queries(35):
        report_data.gather(kind="monthly", period=JUNE)
    with django_assert_num_queries(0):
        rendered = report_render.render_pdf(data)
    assert rendered.pages > 5


def test_a_jurisdiction_report_covers_that_jurisdiction_only(
    june_sampling: list[SamplingBatch], district_staff: User, desheng: Jurisdiction
) -> None:
    batch(district_staff, desheng, sampled_on=dt.date(2025, 6, 5), product_name="得胜专供酱油")
    report = render_now(scope="210212001000")
    lines = pdf_lines(report.file.read())
    assert any("登峰街道" in line for line in lines)
    assert not any("得胜专供酱油" in line for line in lines)
    assert not any(line.startswith("得胜街道") for line in lines)


def test_rendering_again_replaces_the_file(june_sampling: list[SamplingBatch]) -> None:
    first = render_now()
    old_name = first.file.name
    second = render_now()
    assert second.pk == first.pk
    assert default_storage.exists(second.file.name)
    if second.file.name != old_name:
        assert not default_storage.exists(old_name)


def test_the_first_page_is_the_written_summary_of_the_fixture(
    june_sampling: list[SamplingBatch],
) -> None:
    report = render_now()
    first = PdfReader(report.file.path).pages[0].extract_text()
    text = "".join(first.split())
    assert "情况综述" in text
    # One failed batch of 24, not disposed; no complaints in June or May.
    assert "本期不合格批次1批。尚有1批不合格产品未记录处置。" in text
    assert "本期受理投诉0件（2025年05月：0件）。" in text
    assert "食品抽检合格率95.8%（目标≥97.0%；无可比的往期数据）" in text
    assert "2025年07月" in text  # the deadlines of the month after
