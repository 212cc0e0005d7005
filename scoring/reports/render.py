"""Rendering a report to PDF with WeasyPrint: the HTML from a template, charts drawn here as SVG
(no browser), Chinese fonts embedded (subsets of WenQuanYi Zen Hei, else Noto Sans CJK), and a URL
fetcher that only reads the project's static files (``lyushunkou.pdf``, shared with certificates).

The data arrives materialised (``scoring.reports.data.gather``): rendering runs no query.
Everything a report shows is in Chinese whatever the language of the person who asked for it,
since the file is archived once and read by everyone.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# WeasyPrint logs every layout step at INFO (from its import on); the logs need only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML  # type: ignore[import-untyped]  # noqa: E402

# The fetcher and font stack live in lyushunkou.pdf (certificates use them too); re-exported here.
from lyushunkou.pdf import (  # noqa: E402
    DATA_URL_MAX_BYTES as DATA_URL_MAX_BYTES,
)
from lyushunkou.pdf import (  # noqa: E402
    FONT_FAMILY,
    StaticFilesFetcher,
    static_file_url,
)
from lyushunkou.pdf import RefusedURL as RefusedURL  # noqa: E402
from lyushunkou.pdf import static_roots as static_roots  # noqa: E402
from scoring.reports import summary as report_summary  # noqa: E402

logger = logging.getLogger(__name__)

REPORT_LANGUAGE = "zh-hans"
TEMPLATE = "scoring/reports/report.html"
STYLESHEET = "scoring/reports/report.css"

# Chart colours: met, not met, no data, neutral bars.
GREEN, RED, GREY, BLUE, TEAL = "#2e7d32", "#c62828", "#9e9e9e", "#1f5fa8", "#6aa6d8"


# --- Charts (SVG drawn here) ------------------------------------------------------------------


def _text_width(text: str, size: float) -> float:
    """Rough advance of a label: CJK characters are one em, others about half of one."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.56 for ch in text)


def _svg(width: float, height: float, parts: Sequence[SafeString], label: str) -> SafeString:
    # Every part was built by format_html, which escapes its arguments: joining them is safe.
    body = mark_safe("".join(parts))  # noqa: S308
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        'viewBox="0 0 {w} {h}" role="img" aria-label="{label}" '
        'font-family="{font}" font-size="10">{body}</svg>',
        w=f"{width:.0f}",
        h=f"{height:.0f}",
        label=label,
        font=FONT_FAMILY,
        body=body,
    )


def bar_chart(
    items: Sequence[tuple[str, float]],
    *,
    label: str,
    width: float = 460,
    colour: str = BLUE,
    value_text: Sequence[str] | None = None,
) -> SafeString:
    """Horizontal bars, one per item, with its label on the left and its value on the right."""
    row, gap, size = 18.0, 6.0, 10.0
    label_width = max([_text_width(text, size) for text, _value in items] + [40]) + 8
    value_width = 56.0
    plot = max(60.0, width - label_width - value_width)
    top = max([value for _text, value in items] + [0])
    height = len(items) * (row + gap) + gap
    parts = []
    for index, (text, value) in enumerate(items):
        y = gap + index * (row + gap)
        bar = plot * value / top if top else 0
        shown = value_text[index] if value_text else f"{value:g}"
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" dominant-baseline="central">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                '<text x="{}" y="{}" dominant-baseline="central">{}</text>',
                f"{label_width - 6:.1f}",
                f"{y + row / 2:.1f}",
                text,
                f"{label_width:.1f}",
                f"{y:.1f}",
                f"{max(bar, 0.5 if value else 0):.1f}",
                f"{row:.1f}",
                colour,
                f"{label_width + bar + 4:.1f}",
                f"{y + row / 2:.1f}",
                shown,
            )
        )
    return _svg(width, height, parts, label)


def status_chart(
    rows: Sequence[tuple[str, int, int, int]], *, label: str, width: float = 460
) -> SafeString:
    """One stacked bar per row: targets met (green), not met (red), no data (grey)."""
    row_height, gap, size = 16.0, 6.0, 10.0
    label_width = max([_text_width(text, size) for text, *_counts in rows] + [40]) + 8
    legend = 22.0
    plot = max(60.0, width - label_width - 8)
    most = max([met + missed + none for _t, met, missed, none in rows] + [1])
    height = legend + len(rows) * (row_height + gap) + gap
    parts = []
    x = label_width
    for colour, name in ((GREEN, _("Met")), (RED, _("Not met")), (GREY, _("No data"))):
        parts.append(
            format_html(
                '<rect x="{}" y="4" width="10" height="10" fill="{}"/>'
                '<text x="{}" y="9" dominant-baseline="central">{}</text>',
                f"{x:.1f}",
                colour,
                f"{x + 14:.1f}",
                name,
            )
        )
        x += 14 + _text_width(str(name), size) + 14
    for index, (text, met, missed, none) in enumerate(rows):
        y = legend + gap + index * (row_height + gap)
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" dominant-baseline="central">{}</text>',
                f"{label_width - 6:.1f}",
                f"{y + row_height / 2:.1f}",
                text,
            )
        )
        x = label_width
        for count, colour in ((met, GREEN), (missed, RED), (none, GREY)):
            if not count:
                continue
            span = plot * count / most
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                    '<text x="{}" y="{}" text-anchor="middle" dominant-baseline="central" '
                    'fill="#fff">{}</text>',
                    f"{x:.1f}",
                    f"{y:.1f}",
                    f"{span:.1f}",
                    f"{row_height:.1f}",
                    colour,
                    f"{x + span / 2:.1f}",
                    f"{y + row_height / 2:.1f}",
                    count,
                )
            )
            x += span
    return _svg(width, height, parts, label)


def column_chart(
    items: Sequence[tuple[str, float, float]],
    *,
    label: str,
    series: tuple[str, str],
    width: float = 300,
    height: float = 170,
) -> SafeString:
    """Paired columns per category, as shares of each series' total (so that a small series, such
    as the demonstration units beside all units, stays readable), labelled in percent."""
    bottom, top_margin, left = 20.0, 26.0, 10.0
    plot_h = height - bottom - top_margin
    totals = (sum(a for _l, a, _b in items) or 1, sum(b for _l, _a, b in items) or 1)
    shares = [(text, a / totals[0], b / totals[1]) for text, a, b in items]
    most = max([max(a, b) for _label, a, b in shares] + [0.01])
    slot = (width - left * 2) / max(len(items), 1)
    column = slot * 0.32
    parts = []
    x = left
    for colour, name in ((BLUE, series[0]), (TEAL, series[1])):
        parts.append(
            format_html(
                '<rect x="{}" y="4" width="10" height="10" fill="{}"/>'
                '<text x="{}" y="9" dominant-baseline="central">{}</text>',
                f"{x:.1f}",
                colour,
                f"{x + 14:.1f}",
                name,
            )
        )
        x += 14 + _text_width(name, 10) + 14
    for index, (text, first, second) in enumerate(shares):
        centre = left + slot * index + slot / 2
        for offset, value, colour in ((-column, first, BLUE), (0.0, second, TEAL)):
            bar = plot_h * value / most
            y = height - bottom - bar
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                    '<text x="{}" y="{}" text-anchor="middle" font-size="8">{}</text>',
                    f"{centre + offset:.1f}",
                    f"{y:.1f}",
                    f"{column:.1f}",
                    f"{bar:.1f}",
                    colour,
                    f"{centre + offset + column / 2:.1f}",
                    f"{y - 2:.1f}",
                    f"{value * 100:.0f}%",
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle">{}</text>',
                f"{centre:.1f}",
                f"{height - 6:.1f}",
                text,
            )
        )
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#555" stroke-width="0.6"/>',
            f"{left:.1f}",
            f"{height - bottom:.1f}",
            f"{width - left:.1f}",
            f"{height - bottom:.1f}",
        )
    )
    return _svg(width, height, parts, label)


def charts(data: dict[str, Any]) -> dict[str, SafeString]:
    """Every chart of the report, from the gathered data."""
    complaints, sampling, programme = data["complaints"], data["sampling"], data["programme"]
    drawn: dict[str, SafeString] = {}
    summary = data["summary"]
    drawn["summary"] = status_chart(
        [(data["scope"]["name"], summary["met"], summary["missed"], summary["no_data"])],
        label=_("Targets met and not met"),
    )
    if data["ranking"]:
        drawn["ranking"] = status_chart(
            [
                (
                    row["name"],
                    row["summary"]["met"],
                    row["summary"]["missed"],
                    row["summary"]["no_data"],
                )
                for row in data["ranking"]
            ],
            label=_("Targets met and not met by jurisdiction"),
        )
    drawn["channels"] = bar_chart(
        [(row["label"], row["n"]) for row in complaints["by_channel"]],
        label=_("Complaints by channel"),
        width=330,
    )
    drawn["categories"] = bar_chart(
        [(row["label"], row["n"]) for row in complaints["by_category"]],
        label=_("Complaints by issue category"),
        width=330,
        colour=TEAL,
    )
    drawn["sampling_types"] = bar_chart(
        [(row["label"], row["total"]) for row in sampling["by_type"]],
        label=_("Sampling batches by sampling type"),
    )
    if programme["distribution"]:
        drawn["grades"] = column_chart(
            [(row["label"], row["n"], row["demonstration"]) for row in programme["distribution"]],
            label=_("Grade distribution"),
            series=(_("All graded units"), _("Graded demonstration units")),
        )
    return drawn


# --- The document -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def page_counter_content() -> str:
    """The CSS ``content`` of the page footer, "第 N 页 / 共 M 页" from the translation."""
    marker_page, marker_pages = "\x00PAGE\x00", "\x00PAGES\x00"
    text = _("Page %(page)s of %(pages)s") % {"page": marker_page, "pages": marker_pages}
    pieces: list[str] = []
    for chunk in text.split("\x00"):
        if chunk == "PAGE":
            pieces.append("counter(page)")
        elif chunk == "PAGES":
            pieces.append("counter(pages)")
        elif chunk:
            pieces.append(_css_string(chunk))
    return " ".join(pieces)


def render_html(data: dict[str, Any]) -> str:
    with translation.override(REPORT_LANGUAGE):
        context = {
            **data,
            "charts": charts(data),
            "written_summary": report_summary.summarise(data),
            "stylesheet_url": static_file_url(STYLESHEET),
            "page_counter": page_counter_content(),
            "running_title": _css_string(data["title"]),
            "font_family": FONT_FAMILY,
        }
        return render_to_string(TEMPLATE, context)


def render_pdf(data: dict[str, Any]) -> RenderedPdf:
    """The PDF and its page count. Runs no database query."""
    html = render_html(data)
    base = Path(os.path.realpath(settings.BASE_DIR / "static")).as_uri() + "/"
    document = HTML(string=html, base_url=base, url_fetcher=StaticFilesFetcher()).render()
    content = document.write_pdf()
    assert content is not None
    return RenderedPdf(content=content, pages=len(document.pages))
