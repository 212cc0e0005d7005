"""An inspection plan's units as a spreadsheet (.xlsx / CSV), for the staff who make the checks.
Units are businesses; the plan holds no personal data."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase

from lyushunkou.tabular import download
from supervision.models_plans import InspectionPlan, PlanEntry
from units.exports import INDUSTRY_NAMES

HEADERS = [
    "街道",
    "抽取顺序",
    "统一社会信用代码",
    "名称",
    "行业",
    "地址",
    "风险权重",
    "最新等级",
    "近12个月投诉",
    "近24个月不合格批次",
    "近24个月检查发现问题",
    "距上次检查（月）",
    "本期已检查",
]


def _rows(queryset: QuerySet[PlanEntry]) -> Iterator[list[str]]:
    for entry in queryset.iterator(chunk_size=1000):
        factors = entry.factors
        since = factors.get("months_since_check")
        yield [
            entry.jurisdiction.name,
            str(entry.draw),
            entry.unit.credit_code,
            entry.unit.name,
            INDUSTRY_NAMES.get(entry.unit.industry, entry.unit.industry),  # type: ignore[call-overload]
            entry.unit.address,
            f"{entry.weight:.3g}",
            factors.get("grade") or "未评定",
            str(factors.get("complaints", "")),
            str(factors.get("failed_batches", "")),
            str(factors.get("findings", "")),
            "从未检查" if since is None else str(since),
            "是" if getattr(entry, "checked", False) else "否",
        ]


def export_entries(
    *, request: HttpRequest, plan: InspectionPlan, queryset: QuerySet[PlanEntry], fmt: str
) -> HttpResponseBase:
    return download(
        request=request,
        action="supervision.plan_exported",
        fmt=fmt,
        stem=f"双随机检查计划_{plan.period}",
        ascii_stem=f"inspection_plan_{plan.period}",
        headers=HEADERS,
        rows=_rows(queryset),
        count=queryset.count(),
        filters={"plan": str(plan.pk)},
    )
