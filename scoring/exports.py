"""The staff list of grades as a download (.xlsx or CSV with a BOM), with the list's filters.

The headers are Chinese whatever the interface language: they are the file the district passes
around, not interface text. Scores carry no personal data; the export is audited all the same,
and rate-limited like the other exports.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone

from lyushunkou import audit
from lyushunkou.tabular import csv_lines, xlsx_file
from scoring.models import UnitScore
from units.exports import XLSX_TYPE, content_disposition

EXPORT_FORMATS = ("xlsx", "csv")
FILE_STEM = "经营主体评级"
ASCII_STEM = "grades"
HEADERS = [
    "统一社会信用代码",
    "名称",
    "所属街道",
    "示范单位",
    "评级期间",
    "放心质量",
    "放心安全",
    "放心价格",
    "放心服务",
    "放心维权",
    "总分",
    "按总分等级",
    "等级",
    "封顶项",
    "一票否决",
    "申诉待决",
    "评分规则版本",
    "数据截至",
    "计算时间",
]
GUARANTEE_NAMES = {
    "quality": "放心质量",
    "safety": "放心安全",
    "price": "放心价格",
    "service": "放心服务",
    "rights": "放心维权",
}


def export_row(score: UnitScore) -> list[str]:
    computed = timezone.localtime(score.computed_at)
    return [
        score.unit.credit_code,
        score.unit.name,
        score.unit.jurisdiction.name,
        "是" if score.demonstration else "否",
        score.period,
        f"{score.quality:.1f}",
        f"{score.safety:.1f}",
        f"{score.price:.1f}",
        f"{score.service:.1f}",
        f"{score.rights:.1f}",
        f"{score.total:.1f}",
        score.raw_grade,
        score.grade,
        GUARANTEE_NAMES.get(score.capped_by, score.capped_by),
        "、".join(str(code) for code in score.vetoes or []),
        "是" if getattr(score, "appeal_pending", False) else "否",
        f"v{score.rubric.version}",
        score.as_of.isoformat(),
        f"{computed:%Y-%m-%d %H:%M}",
    ]


def _rows(scores: Iterable[UnitScore]) -> Iterator[list[str]]:
    for score in scores:
        yield export_row(score)


def export_scores(
    *, request: HttpRequest, queryset: QuerySet[UnitScore], fmt: str, filters: dict[str, str]
) -> HttpResponseBase:
    """The filtered list as a download: every row, streamed (CSV) or spooled (.xlsx), audited."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}.")
    stamp = f"{timezone.localdate():%Y%m%d}"
    period = filters.get("period", "")
    filename = f"{FILE_STEM}_{period}_{stamp}.{fmt}"
    fallback = f"{ASCII_STEM}_{period}_{stamp}.{fmt}"
    count = queryset.count()
    scores = queryset.iterator(chunk_size=2000)
    response: HttpResponseBase
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_lines(HEADERS, _rows(scores)), content_type="text/csv; charset=utf-8"
        )
    else:
        response = FileResponse(xlsx_file(FILE_STEM, HEADERS, _rows(scores)))
        response["Content-Type"] = XLSX_TYPE
    response["Content-Disposition"] = content_disposition(filename, fallback)
    audit.record("score.exported", request=request, format=fmt, filters=filters, rows=count)
    return response
