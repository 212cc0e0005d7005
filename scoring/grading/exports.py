"""The staff lists of the scoring app as downloads (.xlsx or CSV with a BOM), with the lists'
filters: the grades and the appeals against them.

The grades' headers are Chinese whatever the interface language: they are the file the district
passes around, not interface text. The appeals' headers follow the interface language (Chinese
by default). None of these carries personal data (an appeal's export names the
unit, not the person who submitted it nor the grounds they typed); the exports are audited all
the same, and rate-limited like the other exports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _

from lyushunkou.list_exports import ExportSource, ListExport
from lyushunkou.models import Role
from lyushunkou.roles import AuthenticatedRequest
from lyushunkou.tabular import EXPORT_FORMATS as EXPORT_FORMATS
from lyushunkou.tabular import download
from scoring.models import Appeal, UnitScore
from units.guarantees import Guarantee

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


def score_list_export(request: AuthenticatedRequest) -> ExportSource:
    """The grades list's rows for this request (its filters, the period shown, the user's
    scope). The file is named after the period shown; its sheet is not."""
    from scoring.grading.forms import FILTERED_SCORES

    return FILTERED_SCORES.export_source(
        request,
        row=export_row,
        headers=HEADERS,
        stem=FILE_STEM,
        ascii_stem=ASCII_STEM,
        named_after="period",
    )


SCORE_LIST = ListExport(
    kind="grades",
    action="score.exported",
    readers=frozenset({Role.STAFF, Role.LEADER}),
    source=score_list_export,
)
# Registered from ScoringConfig.ready(). The appeals are a short list, written in the request.


# --- The appeals ----------------------------------------------------------------------------------

APPEAL_STEM, APPEAL_ASCII_STEM = "评级申诉", "appeals"


def _local(moment: dt.datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def appeal_headers() -> list[str]:
    """The columns of the appeals' export, in the interface language (Chinese by default)."""
    return [
        _("Unified social credit code"),
        _("Unit name"),
        _("Street or park"),
        _("Grading period"),
        _("Kind"),
        _("Guarantee concerned"),
        _("Grade appealed"),
        _("Status"),
        _("Submitted at"),
        _("Appeal due"),
        _("Decided at"),
        _("Reasons for the decision"),
    ]


def _appeal_rows(appeals: Iterable[Appeal]) -> Iterator[list[str]]:
    """The rows, their words translated now: a CSV response is iterated after the view returned,
    when the request's language may no longer be active. Neither who submitted the appeal nor the
    grounds they typed are exported."""
    kinds = {key: str(label) for key, label in Appeal.Kind.choices}
    statuses = {key: str(label) for key, label in Appeal.Status.choices}
    guarantees = {key: str(label) for key, label in Guarantee.choices}

    def rows() -> Iterator[list[str]]:
        for appeal in appeals:
            yield [
                appeal.unit.credit_code,
                appeal.unit.name,
                appeal.unit.jurisdiction.name,
                appeal.period,
                kinds.get(appeal.kind, appeal.kind),
                guarantees.get(appeal.guarantee, appeal.guarantee),
                appeal.grade,
                statuses.get(appeal.status, appeal.status),
                _local(appeal.submitted_at),
                appeal.due.isoformat(),
                _local(appeal.decided_at),
                appeal.decision_reason,
            ]

    return rows()


def export_appeals(
    *, request: HttpRequest, queryset: QuerySet[Appeal], fmt: str, filters: dict[str, str]
) -> HttpResponseBase:
    """The filtered list of replies and appeals as a download, audited as ``appeal.exported``."""
    queryset = queryset.select_related("unit", "unit__jurisdiction")
    return download(
        request=request,
        action="appeal.exported",
        fmt=fmt,
        stem=APPEAL_STEM,
        ascii_stem=APPEAL_ASCII_STEM,
        headers=appeal_headers(),
        rows=_appeal_rows(queryset.iterator(chunk_size=2000)),
        filters=filters,
    )
