"""The sampling file format (DESIGN.md §7), the filtered list's export and the import template.

The column headers and the Chinese names of types, categories, results and disposals are the
format the district's sampling systems exchange, not interface text: they stay Chinese whatever
the interface language, so a template downloaded in English still imports.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspections.models import (
    DisposalKind,
    ProductCategory,
    RetestResult,
    SamplingBatch,
    SamplingResult,
    SamplingStage,
    SamplingType,
    default_stage,
)
from lyushunkou import import_templates
from lyushunkou.import_templates import Column, example_value
from lyushunkou.list_exports import ExportSource, ListExport
from lyushunkou.models import Jurisdiction, Role
from lyushunkou.roles import AuthenticatedRequest
from lyushunkou.tabular import EXPORT_FORMATS as EXPORT_FORMATS

FILE_STEM = "抽检批次"
ASCII_STEM = "sampling"
EXAMPLE_CREDIT_CODE = "9121021288859576CJ"

COLUMNS = [
    Column("抽样单编号", "sample_no", gettext_lazy("Sample number (unique)")),
    Column("抽样日期", "sampled_on", gettext_lazy("Sampling date")),
    Column("抽检类型", "sampling_type", gettext_lazy("Sampling type")),
    Column("产品类别", "category", gettext_lazy("Product category")),
    Column("产品名称", "product_name", gettext_lazy("Product name")),
    Column("规格型号", "specification", gettext_lazy("Specification"), required=False),
    Column(
        "生产日期或批号",
        "batch_or_production_date",
        gettext_lazy("Production date or batch number"),
        required=False,
    ),
    Column("被抽样单位", "sampled_unit_name", gettext_lazy("Sampled unit")),
    Column(
        "被抽样单位统一社会信用代码",
        "sampled_unit_credit_code",
        gettext_lazy("Sampled unit's credit code"),
        required=False,
    ),
    Column("所属街道", "jurisdiction", gettext_lazy("Street (name or division code)")),
    Column(
        "标称生产企业",
        "nominal_manufacturer",
        gettext_lazy("Nominal manufacturer"),
        required=False,
    ),
    Column("检验机构", "lab", gettext_lazy("Testing laboratory")),
    Column("检验结论", "result", gettext_lazy("Result")),
    Column(
        "不合格项目", "failed_items", gettext_lazy("Failed items (required when failed)"), False
    ),
    Column("复检结论", "retest_result", gettext_lazy("Re-test result"), required=False),
    Column("核查处置", "disposal", gettext_lazy("Disposal"), required=False),
    Column(
        "抽样环节",
        "stage",
        gettext_lazy("Sampling stage (blank: the product category's default)"),
        required=False,
    ),
]
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
COLUMN_BY_HEADER = {column.header: column for column in COLUMNS}

SAMPLING_TYPE_NAMES = {
    SamplingType.SUPERVISORY: "监督抽检",
    SamplingType.EVALUATIVE: "评价性抽检",
    SamplingType.RISK_MONITORING: "风险监测",
    SamplingType.RAPID: "快检",
}
CATEGORY_NAMES = {
    ProductCategory.FOOD: "食品",
    ProductCategory.KEY_GOODS: "重点消费品",
    ProductCategory.OTHER_GOODS: "其他消费品",
}
RESULT_NAMES = {
    SamplingResult.PASS: "合格",
    SamplingResult.FAIL: "不合格",
    SamplingResult.PENDING: "待检",
}
RETEST_NAMES = {RetestResult.PASS: "合格", RetestResult.FAIL: "不合格"}
DISPOSAL_NAMES = {
    DisposalKind.DELISTED: "下架",
    DisposalKind.RECALLED: "召回",
    DisposalKind.CASE_OPENED: "立案",
    DisposalKind.RECTIFIED: "整改",
    DisposalKind.NONE_NEEDED: "无需处置",
}
STAGE_NAMES = {
    SamplingStage.PRODUCTION: "生产",
    SamplingStage.CIRCULATION: "流通",
    SamplingStage.CATERING: "餐饮服务",
}

EXPORT_HEADERS = [column.header for column in COLUMNS] + ["最终结论", "通知日期", "处置期限"]


def _name(names: dict[Any, str], value: str) -> str:
    return names.get(value, value)


def export_row(batch: SamplingBatch) -> list[str]:
    disposals = "、".join(_name(DISPOSAL_NAMES, d.kind) for d in batch.disposals.all())
    return [
        batch.sample_no,
        batch.sampled_on.isoformat(),
        _name(SAMPLING_TYPE_NAMES, batch.sampling_type),
        _name(CATEGORY_NAMES, batch.category),
        batch.product_name,
        batch.specification,
        batch.batch_or_production_date,
        batch.sampled_unit_name,
        batch.sampled_unit_credit_code,
        batch.jurisdiction.name,
        batch.nominal_manufacturer,
        batch.lab,
        _name(RESULT_NAMES, batch.result),
        batch.failed_items,
        _name(RETEST_NAMES, batch.retest_result),
        disposals,
        # A batch bulk-loaded without a stage counts at its category's default in every figure.
        _name(STAGE_NAMES, batch.stage or default_stage(batch.category, batch.subcategory)),
        _name(RESULT_NAMES, batch.final_result),
        batch.notified_on.isoformat() if batch.notified_on else "",
        batch.disposal_due.isoformat() if batch.disposal_due else "",
    ]


def sampling_list_export(request: AuthenticatedRequest) -> ExportSource:
    """The sampling list's rows for this request (its filters, the user's scope)."""
    from inspections.filters import FILTERED_BATCHES

    return FILTERED_BATCHES.export_source(
        request,
        row=export_row,
        headers=EXPORT_HEADERS,
        stem=FILE_STEM,
        ascii_stem=ASCII_STEM,
        prefetch=["disposals"],
    )


SAMPLING_LIST = ListExport(
    kind="sampling",
    action="sampling.exported",
    readers=frozenset({Role.STAFF, Role.LEADER}),
    source=sampling_list_export,
)


def template_workbook(jurisdictions: list[Jurisdiction], today: dt.date | None = None) -> bytes:
    """The import template: headers, one example row, drop-down lists and instructions."""
    today = today or timezone.localdate()
    streets = [j.name for j in jurisdictions if j.kind != Jurisdiction.Kind.DISTRICT]
    return import_templates.template_workbook(
        title=FILE_STEM,
        columns=COLUMNS,
        example={
            "sample_no": f"SC{today:%Y}21021200001",
            "sampled_on": today.isoformat(),
            "sampling_type": "监督抽检",
            "category": "食品",
            "product_name": "花生油",
            "specification": "5L/桶",
            "batch_or_production_date": f"{today:%Y-%m-%d}",
            "sampled_unit_name": example_value("旅顺口区示例超市"),
            "sampled_unit_credit_code": EXAMPLE_CREDIT_CODE,
            "jurisdiction": streets[0] if streets else "登峰街道",
            "nominal_manufacturer": "示例粮油有限公司",
            "lab": "大连市产品质量检验检测研究院",
            "result": "合格",
            "stage": STAGE_NAMES[SamplingStage.CIRCULATION],
        },
        choices={
            "sampling_type": list(SAMPLING_TYPE_NAMES.values()),
            "category": list(CATEGORY_NAMES.values()),
            "jurisdiction": streets,
            "result": list(RESULT_NAMES.values()),
            "retest_result": list(RETEST_NAMES.values()),
            "disposal": list(DISPOSAL_NAMES.values()),
            "stage": list(STAGE_NAMES.values()),
        },
        notes=[
            _(
                "The file is imported only when every row is valid: if any row has an error, "
                "nothing is imported and every error is listed. A sample number already recorded "
                "updates that batch."
            ),
            _(
                "抽样环节 (生产, 流通 or 餐饮服务) may be left blank: a new batch of key consumer "
                "goods is then taken as sampled in production and any other in circulation; a "
                "batch already recorded keeps its stage unless its product category changes. "
                "餐饮服务 is for food only."
            ),
        ],
    )
