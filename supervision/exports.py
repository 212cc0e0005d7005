"""The proposal list as a spreadsheet (.xlsx / CSV): every filtered row, audited. Proposals hold no
personal data (complaints are counted, not shown), so nothing needs masking."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

from complaints.models import Category
from lyushunkou.tabular import download
from supervision.models import ProposalKind, ProposalState, SamplingProposal

HEADERS = [
    "期间",
    "排名",
    "分组",
    "问题类别",
    "街道",
    "建议抽检经营主体（统一社会信用代码）",
    "投诉数",
    "上年同期",
    "辖区其他街道/同业推算",
    "基线（期望数）",
    "得分",
    "p值",
    "状态",
    "理由或备注",
    "决定人",
    "决定时间",
    "关联抽检批次数",
]
# The file's words, not interface text: a spreadsheet reads the same whatever the page language.
KIND_NAMES = {ProposalKind.STREET: "街道×问题类别", ProposalKind.UNIT: "单个经营主体"}
STATE_NAMES = {
    ProposalState.PROPOSED: "待决定",
    ProposalState.ACCEPTED: "已纳入抽检计划",
    ProposalState.DISMISSED: "已驳回",
}
CATEGORY_NAMES = {
    Category.QUALITY: "质量",
    Category.SAFETY: "安全",
    Category.PRICE: "价格",
    Category.SERVICE: "服务",
    Category.CONTRACT: "合同",
    Category.FALSE_ADVERTISING: "虚假宣传",
    Category.AFTER_SALES: "售后",
    Category.OTHER: "其他",
}


def _rows(queryset: QuerySet[SamplingProposal]) -> Iterator[list[str]]:
    for p in queryset.prefetch_related("units").iterator(chunk_size=500):
        decided = timezone.localtime(p.decided_at) if p.decided_at else None
        yield [
            p.period,
            str(getattr(p, "rank", "")),
            KIND_NAMES.get(p.kind, p.kind),  # type: ignore[call-overload]
            CATEGORY_NAMES.get(p.category, p.category),  # type: ignore[call-overload]
            p.jurisdiction.name,
            " ".join(unit.credit_code for unit in p.units.all()),
            str(p.complaint_count),
            str(p.last_year_count),
            f"{p.peer_expected:.2f}",
            f"{p.expected:.2f}",
            f"{p.score:.2f}",
            f"{p.p_value:.3g}",
            STATE_NAMES.get(p.state, p.state),  # type: ignore[call-overload]
            p.reason,
            p.decided_by.display_name if p.decided_by else "",
            f"{decided:%Y-%m-%d %H:%M}" if decided else "",
            str(getattr(p, "batch_count", "")),
        ]


def export_proposals(
    *,
    request: HttpRequest,
    queryset: QuerySet[SamplingProposal],
    fmt: str,
    filters: dict[str, str],
) -> HttpResponseBase:
    return download(
        request=request,
        action="supervision.proposals_exported",
        fmt=fmt,
        stem="抽检建议",
        ascii_stem="sampling_proposals",
        headers=HEADERS,
        rows=_rows(queryset),
        count=queryset.count(),
        filters=filters,
    )
