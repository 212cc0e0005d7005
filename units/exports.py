"""Spreadsheets the staff side writes: the filtered unit list (.xlsx / CSV) and the import template.

This module also defines the units file format shared with ``units.imports``: the column headers
and the Chinese names of industries, business statuses and demonstration statuses. They are the
format (what the district's spreadsheets say), not interface text, so they do not change with the
interface language and an import template downloaded in English still imports.

Personal data is masked in every export (DESIGN.md §4); the import refuses masked values, so an
export pasted back cannot overwrite a real name or phone with stars.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lyushunkou import import_templates
from lyushunkou.import_templates import Column, example_value
from lyushunkou.list_exports import ExportSource, ListExport
from lyushunkou.masking import mask_name, mask_phone
from lyushunkou.models import Jurisdiction, Role
from lyushunkou.roles import AuthenticatedRequest
from lyushunkou.tabular import EXPORT_FORMATS as EXPORT_FORMATS
from units.models import BusinessStatus, EntityKind, Industry, Unit

FILE_STEM = "经营主体"
ASCII_STEM = "units"
# A valid code (check digit included) in Lyushunkou's division, for the template's example row.
EXAMPLE_CREDIT_CODE = "9121021288859576CJ"


# --- The file format ---------------------------------------------------------------------------


COLUMNS = [
    Column("统一社会信用代码", "credit_code", gettext_lazy("Unified social credit code")),
    Column("名称", "name", gettext_lazy("Name")),
    Column("行业", "industry", gettext_lazy("Industry")),
    Column("地址", "address", gettext_lazy("Address")),
    Column("所属街道", "jurisdiction", gettext_lazy("Street (name or division code)")),
    Column("法定代表人", "legal_representative", gettext_lazy("Legal representative")),
    Column("联系人", "contact_person", gettext_lazy("Contact person"), required=False),
    Column("联系电话", "contact_phone", gettext_lazy("Contact phone"), required=False),
    Column("经营状态", "business_status", gettext_lazy("Business status"), required=False),
]
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
COLUMN_BY_HEADER = {column.header: column for column in COLUMNS}

INDUSTRY_NAMES = {
    Industry.RETAIL: "零售",
    Industry.CATERING: "餐饮",
    Industry.LODGING: "住宿",
    Industry.SCENIC_SPOT: "旅游景区",
    Industry.FARMERS_MARKET: "农贸市场",
    Industry.MALL: "商场超市",
    Industry.LIFE_SERVICES: "生活服务",
    Industry.EDUCATION: "教育培训",
    Industry.AUTO: "汽车销售维修",
    Industry.PHARMACY: "药品",
    Industry.OTHER: "其他",
}
BUSINESS_STATUS_NAMES = {
    BusinessStatus.OPERATING: "在营",
    BusinessStatus.SUSPENDED: "歇业",
    BusinessStatus.DEREGISTERED: "注销",
}


ENTITY_KIND_NAMES = {
    EntityKind.ENTERPRISE: "企业",
    EntityKind.INDIVIDUAL: "个体工商户",
    EntityKind.COOPERATIVE: "农民专业合作社",
    EntityKind.OTHER: "其他组织",
}
# By what the plaque says today (Unit.plaque_status), so an expired certificate shows as expired.
PLAQUE_STATUS_NAMES = {
    "none": "非示范单位",
    "valid": "示范单位",
    "warning": "预警",
    "revoked": "已撤销",
    "expired": "已过期",
}

# The export: the import's columns (so the two read alike), then what only the register knows.
EXPORT_HEADERS = [
    "统一社会信用代码",
    "名称",
    "主体类型",
    "行业",
    "地址",
    "所属街道",
    "法定代表人",
    "联系人",
    "联系电话",
    "经营状态",
    "示范状态",
    "证书编号",
    "有效期至",
    "12315服务站",
]


def export_row(unit: Unit, today: dt.date) -> list[str]:
    """One unit as the export shows it, personal data masked."""
    return [
        unit.credit_code,
        unit.name,
        ENTITY_KIND_NAMES.get(unit.kind, unit.kind),  # type: ignore[call-overload]
        INDUSTRY_NAMES.get(unit.industry, unit.industry),  # type: ignore[call-overload]
        unit.address,
        unit.jurisdiction.name,
        mask_name(unit.legal_representative),
        mask_name(unit.contact_person),
        mask_phone(unit.contact_phone),
        BUSINESS_STATUS_NAMES.get(unit.business_status, unit.business_status),  # type: ignore[call-overload]
        PLAQUE_STATUS_NAMES[unit.plaque_status(today)],
        unit.certificate_no,
        unit.certified_until.isoformat() if unit.certified_until else "",
        "是" if getattr(unit, "has_station", False) else "否",
    ]


# --- The list export ---------------------------------------------------------------------------


def unit_list_export(request: AuthenticatedRequest) -> ExportSource:
    """The staff unit list's rows for this request (its filters, the user's units), masked."""
    from units.filters import FILTERED_UNITS

    today = timezone.localdate()
    return FILTERED_UNITS.export_source(
        request,
        row=lambda unit: export_row(unit, today),
        headers=EXPORT_HEADERS,
        stem=FILE_STEM,
        ascii_stem=ASCII_STEM,
    )


UNIT_LIST = ListExport(
    kind="units",
    action="unit.exported",
    readers=frozenset({Role.STAFF, Role.LEADER}),
    source=unit_list_export,
)


# --- The import template ----------------------------------------------------------------------


def template_workbook(jurisdictions: Sequence[Jurisdiction]) -> bytes:
    """The import template: the headers, one example row, drop-down lists and a notes sheet."""
    streets = [j for j in jurisdictions if j.kind != Jurisdiction.Kind.DISTRICT]
    street_names = [j.name for j in streets]
    return import_templates.template_workbook(
        title=FILE_STEM,
        columns=COLUMNS,
        example={
            "credit_code": EXAMPLE_CREDIT_CODE,
            "name": example_value("旅顺口区示例餐馆"),
            "industry": INDUSTRY_NAMES[Industry.CATERING],
            "address": "辽宁省大连市旅顺口区登峰街道黄河路1号",
            "jurisdiction": street_names[0] if street_names else "登峰街道",
            "legal_representative": "张三",
            "contact_person": "李四",
            "contact_phone": "13800000000",
            "business_status": BUSINESS_STATUS_NAMES[BusinessStatus.OPERATING],
        },
        choices={
            "industry": list(INDUSTRY_NAMES.values()),
            "jurisdiction": street_names,
            "business_status": list(BUSINESS_STATUS_NAMES.values()),
        },
        instructions={
            "credit_code": _(
                "The 18-character unified social credit code. A code already registered updates "
                "that unit; it is never registered twice."
            ),
            "name": _("The unit's registered name."),
            "industry": _("One of: %(choices)s.") % {"choices": "、".join(INDUSTRY_NAMES.values())},
            "address": _("The business address."),
            "jurisdiction": _("The street's name or 12-digit division code: %(choices)s.")
            % {"choices": "、".join(street_names)},
            "legal_representative": _("The legal representative or owner, in full."),
            "contact_person": _("Optional."),
            "contact_phone": _("Optional: a mobile or landline number."),
            "business_status": _("Optional: one of %(choices)s; blank means operating.")
            % {"choices": "、".join(BUSINESS_STATUS_NAMES.values())},
        },
        notes=[
            _(
                "The file is imported only when every row is valid: if any row has an error, "
                "nothing is imported and every error is listed."
            )
        ],
        width=22,
        widths={"address": 40},
    )
