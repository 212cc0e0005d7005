"""The 12315 complaint file (DESIGN.md §7): its columns and vocabulary, the export of the filtered
list, and the import template.

The column headers and the Chinese words of the vocabulary (来源, 问题类别, 处理结果 …) are the
file format — what the 12315 system writes — not interface text, so they do not change with the
interface language, and a template downloaded in English still imports. ``complaints.imports``
reads files in this format.

Personal data (the complainant's name and phone, and any personal data the request or the note
repeats) is masked in every export (DESIGN.md §4); the import refuses masked values, so an export
cannot be pasted back over real data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.free_text import text_shown
from complaints.models import (
    Category,
    Channel,
    Complaint,
    ConsumptionKind,
    Kind,
    Outcome,
    RefusalGround,
    Satisfaction,
    Status,
    SurveyResponse,
)
from lyushunkou import import_templates
from lyushunkou.import_templates import Column, example_value
from lyushunkou.list_exports import ExportSource, ListExport
from lyushunkou.masking import mask_name, mask_phone
from lyushunkou.models import Jurisdiction, Role
from lyushunkou.roles import AuthenticatedRequest
from lyushunkou.tabular import EXPORT_FORMATS as EXPORT_FORMATS

FILE_STEM = "投诉登记"
ASCII_STEM = "complaints"


# --- The file format ---------------------------------------------------------------------------


COLUMNS = [
    Column("登记编号", "record_no", gettext_lazy("Record number (unique)")),
    Column("登记时间", "received_at", gettext_lazy("Received (date, optionally time)")),
    Column("来源", "channel", gettext_lazy("Channel")),
    Column("投诉人", "complainant_name", gettext_lazy("Complainant")),
    Column("联系电话", "complainant_phone", gettext_lazy("Complainant's phone")),
    Column("被投诉单位", "respondent_name", gettext_lazy("Respondent")),
    Column(
        "统一社会信用代码",
        "respondent_credit_code",
        gettext_lazy("Respondent's credit code"),
        required=False,
    ),
    Column("被投诉单位地址", "respondent_address", gettext_lazy("Respondent's address")),
    Column("所属街道", "jurisdiction", gettext_lazy("Street (name or division code)")),
    Column("消费类别", "consumption_kind", gettext_lazy("Goods or services")),
    Column("问题类别", "category", gettext_lazy("Issue category")),
    Column("诉求内容", "request_text", gettext_lazy("Request and facts")),
    Column("涉及金额", "amount_involved", gettext_lazy("Amount involved (yuan)"), required=False),
    Column("受理决定", "decision", gettext_lazy("Acceptance decision"), required=False),
    Column("受理日期", "decided_on", gettext_lazy("Date of the decision"), required=False),
    Column("不予受理理由", "refusal_reason", gettext_lazy("Ground for not accepting"), False),
    Column("办结日期", "concluded_on", gettext_lazy("Concluded on"), required=False),
    Column("处理结果", "outcome", gettext_lazy("Outcome"), required=False),
    Column(
        "挽回经济损失",
        "amount_recovered",
        gettext_lazy("Economic loss recovered (yuan)"),
        required=False,
    ),
    Column("满意度", "satisfaction", gettext_lazy("Satisfaction (callback)"), required=False),
]
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
HEADERS = [column.header for column in COLUMNS]

CHANNEL_NAMES: dict[str, str] = {
    Channel.HOTLINE: "12315热线",
    Channel.PLATFORM: "全国12315平台",
    Channel.VISIT: "来访",
    Channel.LETTER: "来信",
    Channel.ONLINE: "在线",
}
CONSUMPTION_KIND_NAMES: dict[str, str] = {
    ConsumptionKind.GOODS: "商品",
    ConsumptionKind.SERVICE: "服务",
}
CATEGORY_NAMES: dict[str, str] = {
    Category.QUALITY: "质量",
    Category.SAFETY: "安全",
    Category.PRICE: "价格",
    Category.SERVICE: "服务",
    Category.CONTRACT: "合同",
    Category.FALSE_ADVERTISING: "虚假宣传",
    Category.AFTER_SALES: "售后",
    Category.OTHER: "其他",
}
ACCEPT, REFUSE = "受理", "不予受理"
DECISION_NAMES = (ACCEPT, REFUSE)
OUTCOME_NAMES: dict[str, str] = {
    Outcome.MEDIATED: "调解成功",
    Outcome.FAILED: "调解不成",
    Outcome.TERMINATED: "终止调解",
    Outcome.WITHDRAWN: "撤回",
    Outcome.TRANSFERRED: "移送",
}
SATISFACTION_NAMES: dict[str, str] = {
    Satisfaction.SATISFIED: "满意",
    Satisfaction.BASICALLY: "基本满意",
    Satisfaction.DISSATISFIED: "不满意",
    Satisfaction.NO_ANSWER: "未评价",
}
# Art. 15 grounds as the 12315 system words them; the import also matches the keywords below.
REFUSAL_NAMES: dict[str, str] = {
    RefusalGround.NOT_OUR_DUTY: "不属于市场监督管理部门职责范围",
    RefusalGround.HANDLED_ELSEWHERE: "已由其他机关或组织受理",
    RefusalGround.NO_CONSUMER_DISPUTE: "非生活消费或不能证明与被投诉人存在消费争议",
    RefusalGround.TOO_LATE: "超过三年",
    RefusalGround.MATERIALS_MISSING: "未提供必要材料",
    RefusalGround.OTHER_LEGAL: "其他法定情形",
}
REFUSAL_KEYWORDS: list[tuple[str, tuple[str, ...]]] = [
    (RefusalGround.NOT_OUR_DUTY, ("职责", "管辖", "职能")),
    (
        RefusalGround.HANDLED_ELSEWHERE,
        ("法院", "仲裁", "消费者协会", "消协", "调解组织", "其他行政", "已受理", "已经受理"),
    ),
    (RefusalGround.NO_CONSUMER_DISPUTE, ("生活消费", "消费争议", "生产经营", "非消费")),
    (RefusalGround.TOO_LATE, ("三年", "3年", "时效")),
    (RefusalGround.MATERIALS_MISSING, ("材料", "证据", "信息不全", "联系方式", "身份")),
]
# 移送 in the 12315 file does not say to whom; the complaint records where to look instead.
TRANSFERRED_TO_UNKNOWN = "见12315系统"

# Only the export knows these: after the import's columns, so the two read alike.
EXPORT_ONLY_HEADERS = ["类型", "状态", "处理时限"]
KIND_NAMES: dict[str, str] = {Kind.COMPLAINT: "投诉", Kind.REPORT: "举报"}
STATUS_NAMES: dict[str, str] = {
    Status.REGISTERED: "已登记",
    Status.ACCEPTED: "已受理",
    Status.ODR: "经营者处理中",
    Status.MEDIATING: "调解中",
    Status.CONCLUDED: "已办结",
    Status.REFUSED: "不予受理",
    Status.VERIFYING: "核查中",
    Status.CASE_OPENED: "已立案",
    Status.NOT_OPENED: "不予立案",
}


def _amount(value: Decimal | None) -> str:
    return f"{value:.2f}" if value is not None else ""


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def export_row(complaint: Complaint) -> list[str]:
    """One complaint as the file shows it, the complainant masked, in the texts as well."""
    shown = text_shown(complaint)
    refused = complaint.status == Status.REFUSED
    if refused:
        decision, decided_on = REFUSE, complaint.concluded_on
    elif complaint.accepted_on:
        decision, decided_on = ACCEPT, complaint.accepted_on
    else:
        decision, decided_on = "", None
    concluded = complaint.kind == Kind.COMPLAINT and complaint.status == Status.CONCLUDED
    received = timezone.localtime(complaint.received_at)
    return [
        complaint.record_no,
        f"{received:%Y-%m-%d %H:%M}",
        CHANNEL_NAMES.get(complaint.channel, complaint.channel),
        mask_name(complaint.complainant_name),
        mask_phone(complaint.complainant_phone),
        complaint.respondent_name,
        complaint.respondent_credit_code,
        complaint.respondent_address,
        complaint.jurisdiction.name,
        CONSUMPTION_KIND_NAMES.get(complaint.consumption_kind, complaint.consumption_kind),
        CATEGORY_NAMES.get(complaint.category, complaint.category),
        shown(complaint.request_text),
        _amount(complaint.amount_involved),
        decision,
        _date(decided_on),
        (shown(complaint.conclusion_note) or REFUSAL_NAMES.get(complaint.refusal_ground, ""))
        if refused
        else "",
        _date(complaint.concluded_on) if concluded else "",
        OUTCOME_NAMES.get(complaint.outcome, "") if concluded else "",
        _amount(complaint.amount_recovered) if concluded else "",
        SATISFACTION_NAMES.get(complaint.satisfaction, ""),
        KIND_NAMES.get(complaint.kind, complaint.kind),
        STATUS_NAMES.get(complaint.status, complaint.status),
        _date(complaint.current_due),
    ]


# --- The list export ---------------------------------------------------------------------------


def complaint_list_export(request: AuthenticatedRequest) -> ExportSource:
    """The staff complaint list's rows for this request (its filters, the user's scope), the
    complainant masked."""
    from complaints.filters import FILTERED_COMPLAINTS

    # The list's queryset selects each complaint's jurisdiction already.
    return FILTERED_COMPLAINTS.export_source(
        request,
        row=export_row,
        headers=[*HEADERS, *EXPORT_ONLY_HEADERS],
        stem=FILE_STEM,
        ascii_stem=ASCII_STEM,
    )


COMPLAINT_LIST = ListExport(
    kind="complaints",
    action="complaint.exported",
    readers=frozenset({Role.STAFF, Role.LEADER}),
    source=complaint_list_export,
)


# --- The survey answers' export ----------------------------------------------------------------

SURVEY_FILE_STEM = "消费者问卷"
SURVEY_ASCII_STEM = "survey_answers"


def survey_headers() -> list[str]:
    """The columns of the survey answers' export, in the interface language (Chinese by default):
    the list's columns plus the division code; answers carry no personal data, and the export
    does not say who entered a paper form."""
    return [
        _("Date answered"),
        _("Street or park"),
        _("Division code"),
        _("Aware of the programme"),
        _("Approves of the programme"),
        _("Satisfaction with life services"),
        _("Answered via"),
    ]


def _survey_row() -> Callable[[SurveyResponse], list[str]]:
    """One answer as a row, its words translated in the language active now (the request's, or
    the export job's requester's)."""
    yes, no = _("Yes"), _("No")
    life = {key: str(label) for key, label in SurveyResponse.LifeServices.choices}
    source = {key: str(label) for key, label in SurveyResponse.Source.choices}

    def row(answer: SurveyResponse) -> list[str]:
        return [
            answer.answered_on.isoformat(),
            answer.jurisdiction.name,
            answer.jurisdiction.code,
            yes if answer.aware else no,
            "" if answer.approves is None else yes if answer.approves else no,
            life.get(answer.life_services, answer.life_services),
            source.get(answer.source, answer.source),
        ]

    return row


def survey_list_export(request: AuthenticatedRequest) -> ExportSource:
    """The survey answers' list for this request (its filters, the user's scope), audited as
    ``survey.exported``."""
    from complaints.filters import FILTERED_SURVEYS

    # The list's queryset selects each answer's jurisdiction already.
    return FILTERED_SURVEYS.export_source(
        request,
        row=_survey_row(),
        headers=survey_headers(),
        stem=SURVEY_FILE_STEM,
        ascii_stem=SURVEY_ASCII_STEM,
    )


SURVEY_LIST = ListExport(
    kind="surveys",
    action="survey.exported",
    readers=frozenset({Role.STAFF, Role.LEADER}),
    source=survey_list_export,
)


# --- The import template ----------------------------------------------------------------------


def template_workbook(jurisdictions: Sequence[Jurisdiction], today: dt.date) -> bytes:
    """The import template: headers, an example row that imports, drop-down lists, instructions."""
    streets = [j for j in jurisdictions if j.kind != Jurisdiction.Kind.DISTRICT and j.active]
    received = today - dt.timedelta(days=30)
    return import_templates.template_workbook(
        title=FILE_STEM,
        columns=COLUMNS,
        example={
            "record_no": f"1210212{received:%Y%m%d}0001",
            "received_at": f"{received.isoformat()} 09:30",
            "channel": CHANNEL_NAMES[Channel.HOTLINE],
            "complainant_name": "张三",
            "complainant_phone": "13800000000",
            "respondent_name": example_value("旅顺口区示例海鲜馆"),
            "respondent_address": "辽宁省大连市旅顺口区登峰街道黄河路1号",
            "jurisdiction": streets[0].name if streets else "登峰街道",
            "consumption_kind": CONSUMPTION_KIND_NAMES[ConsumptionKind.SERVICE],
            "category": CATEGORY_NAMES[Category.PRICE],
            "request_text": "点菜时未标明按斤计价，结账时被收取高价，要求退还差价。",
            "amount_involved": "680.00",
            "decision": ACCEPT,
            "decided_on": (received + dt.timedelta(days=2)).isoformat(),
            "concluded_on": (received + dt.timedelta(days=20)).isoformat(),
            "outcome": OUTCOME_NAMES[Outcome.MEDIATED],
            "amount_recovered": "300.00",
            "satisfaction": SATISFACTION_NAMES[Satisfaction.SATISFIED],
        },
        choices={
            "channel": list(CHANNEL_NAMES.values()),
            "jurisdiction": [j.name for j in streets],
            "consumption_kind": list(CONSUMPTION_KIND_NAMES.values()),
            "category": list(CATEGORY_NAMES.values()),
            "decision": list(DECISION_NAMES),
            "outcome": list(OUTCOME_NAMES.values()),
            "satisfaction": list(SATISFACTION_NAMES.values())[:3],
        },
        instructions=_instructions(streets),
        notes=_general_notes(),
        width=18,
        widths={"request_text": 40},
        # Text format, so Excel keeps long numbers and leading zeros as typed.
        text=("record_no", "complainant_phone", "respondent_credit_code"),
    )


def _instructions(streets: Sequence[Jurisdiction]) -> dict[str, str]:
    """What to enter in each column, for the template's instructions sheet."""
    dates = _("A date: 2026-10-08, 2026/10/8 or a date cell.")
    return {
        "record_no": _(
            "The 12315 record number. A number already imported updates that complaint; it is "
            "never registered twice."
        ),
        "received_at": _("Date and time received: 2026-10-08 14:30, 2026/10/8 or a date cell."),
        "channel": _("One of: %(choices)s.") % {"choices": "、".join(CHANNEL_NAMES.values())},
        "complainant_name": _("The complainant's name, in full (never masked)."),
        "complainant_phone": _("An 11-digit mobile number or a landline with its area code."),
        "respondent_name": _("The business complained about."),
        "respondent_credit_code": _(
            "Optional: 18 characters. When it matches a registered unit, the complaint is linked "
            "to that unit."
        ),
        "respondent_address": _("The business address."),
        "jurisdiction": _("The street's name or 12-digit division code: %(choices)s.")
        % {"choices": "、".join(j.name for j in streets)},
        "consumption_kind": _("商品 (goods) or 服务 (services)."),
        "category": _("One of: %(choices)s.") % {"choices": "、".join(CATEGORY_NAMES.values())},
        "request_text": _("What the consumer asks for, and the facts."),
        "amount_involved": _("Optional, in yuan; 1,234.50 and full-width digits are accepted."),
        "decision": _("受理 (accepted), 不予受理 (not accepted) or blank (not decided yet)."),
        "decided_on": dates + " " + _("Required with a decision."),
        "refusal_reason": _(
            "With 不予受理: the ground (Art. 15), e.g. 不属于市场监督管理部门职责范围, "
            "已由其他机关或组织受理, 超过三年, 未提供必要材料. Other text is kept as the note, "
            "with the ground “other legal ground”."
        ),
        "concluded_on": dates + " " + _("Required with an outcome; not before the acceptance."),
        "outcome": _(
            "One of: %(choices)s, or blank while mediation runs. 终止调解 is recorded with the "
            "ground “other”; 移送 with “%(transferred)s” as the authority."
        )
        % {"choices": "、".join(OUTCOME_NAMES.values()), "transferred": TRANSFERRED_TO_UNKNOWN},
        "amount_recovered": _("Optional, in yuan; only with 调解成功."),
        "satisfaction": _("The callback's answer: 满意, 基本满意, 不满意, or blank."),
    }


def _general_notes() -> list[str]:
    return [
        _(
            "The file is imported only when every row is valid: if any row has an error, nothing "
            "is imported and every error is listed as “row N, column: reason”."
        ),
        _(
            "Importing the same record number again adds only the steps that are new (for example "
            "the acceptance and the conclusion of a complaint imported when it was registered); "
            "a row that contradicts a step already recorded is an error."
        ),
        _("Dates cannot be in the future, nor before the complaint was received."),
        _("CSV files may be UTF-8 (with or without BOM) or GB18030/GBK."),
    ]
