"""Checking the registration columns of a row of the 12315 complaint file (see
``complaints.imports``; the workflow columns are checked in ``complaints.imports_steps``).
Nothing here writes; the database is read once per file (``context``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db.models import CharField, Field, TextField
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.exports import (
    CATEGORY_NAMES,
    CHANNEL_NAMES,
    COLUMN_BY_KEY,
    COLUMNS,
    CONSUMPTION_KIND_NAMES,
    OUTCOME_NAMES,
    SATISFACTION_NAMES,
)
from complaints.models import (
    Category,
    Channel,
    Complaint,
    ConsumptionKind,
    Kind,
    Outcome,
    Satisfaction,
)
from lyushunkou.importing import (
    RowError,
    Streets,
    credit_code_cell,
    load_existing,
    lookup,
    vocabulary,
)
from lyushunkou.models import User
from lyushunkou.tabular import header_key, normalize_phone, parse_amount, parse_date_time

MASK_CHARACTER = "*"

# Spellings seen in 12315 exports besides the canonical words of ``complaints.exports``.
CHANNEL_ALIASES = {"热线": Channel.HOTLINE, "12315平台": Channel.PLATFORM, "平台": Channel.PLATFORM}
OUTCOME_ALIASES = {
    "调解不成功": Outcome.FAILED,
    "调解失败": Outcome.FAILED,
    "终止": Outcome.TERMINATED,
    "撤诉": Outcome.WITHDRAWN,
    "撤回投诉": Outcome.WITHDRAWN,
    "移交": Outcome.TRANSFERRED,
}


@dataclass
class RowPlan:
    """A valid row: the registration data (for a new complaint) and the steps it adds."""

    row: int
    record_no: str
    data: dict[str, Any]
    existing: Complaint | None
    decision: str = ""  # ACCEPT, REFUSE or "" (not decided in the file)
    decided_on: dt.date | None = None
    refusal_ground: str = ""
    refusal_note: str = ""
    outcome: str = ""
    concluded_on: dt.date | None = None
    amount_recovered: Decimal | None = None
    satisfaction: str = ""
    steps: list[str] = field(default_factory=list)
    current_step: str = ""  # while writing: which step a service refused


@dataclass
class Context:
    by: User | None
    today: dt.date
    now: dt.datetime
    streets: Streets
    existing: dict[str, Complaint]
    channels: dict[str, str]
    kinds: dict[str, str]
    categories: dict[str, str]
    outcomes: dict[str, str]
    satisfactions: dict[str, str]
    seen: dict[str, int] = field(default_factory=dict)


def context(by: User | None, numbers: Sequence[str] = ()) -> Context:
    """What checking the rows needs from the database, read once per file; the complaints
    already registered under ``numbers`` (``load_chunk`` reads them for each chunk instead)."""
    ctx = Context(
        by=by,
        today=timezone.localdate(),
        now=timezone.now(),
        streets=Streets.load(by),
        existing={},
        channels=vocabulary(CHANNEL_NAMES, Channel.choices, CHANNEL_ALIASES),
        kinds=vocabulary(CONSUMPTION_KIND_NAMES, ConsumptionKind.choices),
        categories=vocabulary(CATEGORY_NAMES, Category.choices),
        outcomes=vocabulary(
            OUTCOME_NAMES,
            [(v, label) for v, label in Outcome.choices if v != Outcome.REFUSED],
            OUTCOME_ALIASES,
        ),
        satisfactions=vocabulary(SATISFACTION_NAMES, Satisfaction.choices),
    )
    load_chunk(ctx, numbers)
    return ctx


def load_chunk(ctx: Context, numbers: Iterable[str]) -> None:
    """The complaints registered under a chunk's record numbers (as ``check_registration``
    reads them), in place of the previous chunk's: one query for every 500 rows."""
    complaints = Complaint.objects.select_related("jurisdiction")
    ctx.existing = load_existing(complaints, "record_no", (header_key(n) for n in numbers))


class Row:
    """One row being checked: its values, its errors, and what it plans."""

    def __init__(self, number: int, values: dict[str, str], ctx: Context) -> None:
        self.number, self.values, self.ctx = number, values, ctx
        self.errors: list[RowError] = []

    def value(self, key: str) -> str:
        return self.values.get(key, "")

    def error(self, key: str, reason: str) -> None:
        self.errors.append(RowError(self.number, COLUMN_BY_KEY[key].header, reason))

    def choice(self, key: str, vocabulary: dict[str, str], names: Iterable[str]) -> str:
        text = self.value(key)
        if not text:
            return ""
        found = lookup(vocabulary, text)
        if found is None:
            self.error(
                key,
                _("Unknown value “%(value)s”; use one of: %(choices)s.")
                % {"value": text, "choices": "、".join(names)},
            )
            return ""
        return found

    def date(self, key: str, *, after: dt.date | None = None) -> dt.date | None:
        text = self.value(key)
        if not text:
            return None
        parsed = parse_date_time(text)
        if parsed is None:
            self.error(key, _("Not a date: write 2026-10-08 or 2026/10/8."))
            return None
        day = parsed[0]
        if day > self.ctx.today:
            self.error(key, _("This date is in the future."))
        elif after is not None and day < after:
            self.error(
                key,
                _("This date is before the complaint was received (%(date)s).")
                % {"date": after.isoformat()},
            )
        return day

    def amount(self, key: str) -> Decimal | None:
        text = self.value(key)
        if not text:
            return None
        amount = parse_amount(text)
        if amount is None:
            self.error(key, _("Not an amount: write the yuan as digits, e.g. 1,234.50."))
        elif amount < 0:
            self.error(key, _("The amount cannot be negative."))
        elif amount >= Decimal("1e10"):
            self.error(key, _("The amount is too large."))
        return amount


def check_registration(
    number: int, values: dict[str, str], ctx: Context
) -> tuple[Row, RowPlan, dt.date | None]:
    """Check the registration columns of a row: the row (with its errors so far), its plan
    (registration data, the complaint already registered under its number) and the receipt date.
    """
    row = Row(number, values, ctx)
    for column in COLUMNS:
        if column.required and not row.value(column.key):
            row.error(column.key, _("This value is required."))

    record_no = header_key(row.value("record_no"))
    if record_no:
        if record_no in ctx.seen:
            row.error(
                "record_no",
                _("This record number already appears on row %(row)d.")
                % {"row": ctx.seen[record_no]},
            )
        else:
            ctx.seen[record_no] = number
    existing = ctx.existing.get(record_no)

    data: dict[str, Any] = {"record_no": record_no, "kind": Kind.COMPLAINT}
    received_on = _received(row, data)
    data["channel"] = row.choice("channel", ctx.channels, CHANNEL_NAMES.values())
    data["consumption_kind"] = row.choice(
        "consumption_kind", ctx.kinds, CONSUMPTION_KIND_NAMES.values()
    )
    data["category"] = row.choice("category", ctx.categories, CATEGORY_NAMES.values())
    _complainant(row, data)
    _respondent(row, data)
    data["request_text"] = row.value("request_text")
    data["amount_involved"] = row.amount("amount_involved")
    _jurisdiction(row, data, existing)
    if not row.errors:
        _model_rules(row, data)

    plan = RowPlan(row=number, record_no=record_no, data=data, existing=existing)
    return row, plan, received_on


def _received(row: Row, data: dict[str, Any]) -> dt.date | None:
    text = row.value("received_at")
    if not text:
        return None
    parsed = parse_date_time(text)
    if parsed is None:
        row.error("received_at", _("Not a date: write 2026-10-08 14:30 or 2026/10/8."))
        return None
    day, time = parsed
    received_at = timezone.make_aware(dt.datetime.combine(day, time or dt.time(0)))
    if day > row.ctx.today or received_at > row.ctx.now:
        row.error("received_at", _("This date is in the future."))
    data["received_at"] = received_at
    return day


def _complainant(row: Row, data: dict[str, Any]) -> None:
    name = row.value("complainant_name")
    if MASK_CHARACTER in name:
        row.error("complainant_name", _("This looks masked (it contains *); enter the full value."))
    data["complainant_name"] = name
    phone = row.value("complainant_phone")
    data["complainant_phone"] = phone
    if not phone:
        return
    if MASK_CHARACTER in phone:
        row.error(
            "complainant_phone", _("This looks masked (it contains *); enter the full value.")
        )
        return
    normalized = normalize_phone(phone)
    if normalized is None:
        row.error(
            "complainant_phone",
            _(
                "Not a phone number: give an 11-digit mobile number (13812345678) or a landline "
                "with its area code (0411-86123456)."
            ),
        )
    else:
        data["complainant_phone"] = normalized


def _respondent(row: Row, data: dict[str, Any]) -> None:
    data["respondent_name"] = row.value("respondent_name")
    data["respondent_address"] = row.value("respondent_address")
    code, invalid = credit_code_cell(row.value("respondent_credit_code"))
    if invalid:
        row.error("respondent_credit_code", invalid)
    data["respondent_credit_code"] = code


def _jurisdiction(row: Row, data: dict[str, Any], existing: Complaint | None) -> None:
    streets = row.ctx.streets
    text = row.value("jurisdiction")
    if text:
        jurisdiction, reason = streets.find(
            text,
            district=_("Give the street, not the district."),
            outside=_("Outside your jurisdiction: you may import complaints of %(scope)s only."),
        )
        if reason:
            row.error("jurisdiction", reason)
        data["jurisdiction"] = jurisdiction
    if existing is not None and not streets.allows(existing.jurisdiction_id):
        row.error(
            "record_no",
            _("This complaint is registered in %(street)s, outside your jurisdiction.")
            % {"street": existing.jurisdiction.name},
        )


def _model_rules(row: Row, data: dict[str, Any]) -> None:
    """The model's own field rules (lengths) with the file's column names: what
    ``Model.clean_fields`` checks for these fields, without building a model for every row."""
    for key, model_field in _CHECKED_FIELDS.items():  # the model's order, as clean_fields has
        if key not in data:
            continue
        value = data[key]
        if model_field.blank and value in model_field.empty_values:
            continue
        quick = _QUICK_TEXT.get(key)
        if quick is not None and type(value) is str and _passes(value, *quick):
            continue  # what clean() would find nothing wrong with, without its calls
        try:
            model_field.clean(value, None)
        except ValidationError as problem:
            row.error(key, " ".join(problem.messages))


# The model fields behind the file's columns (the street is looked up, not checked here).
_CHECKED_FIELDS: dict[str, Field[Any, Any]] = {
    model_field.name: model_field
    for model_field in Complaint._meta.concrete_fields
    if model_field.name in COLUMN_BY_KEY and model_field.name != "jurisdiction"
}


def _quick_text(model_field: Field[Any, Any]) -> tuple[int | None, frozenset[str] | None] | None:
    """For a text field whose only rules are a length, no NUL and its choices: the length and
    the choices, which ``_passes`` checks in a few operations; None for any other field."""
    if not isinstance(model_field, CharField | TextField):
        return None
    length = None
    for validator in model_field.validators:
        if isinstance(validator, MaxLengthValidator):
            length = validator.limit_value
        elif not isinstance(validator, ProhibitNullCharactersValidator):
            return None
    choices = (
        frozenset(str(value) for value, _label in model_field.flatchoices)
        if model_field.choices
        else None
    )
    return length, choices


def _passes(value: str, length: int | None, choices: frozenset[str] | None) -> bool:
    """A non-empty text ``clean`` would accept: within the length, no NUL, one of the choices."""
    return (
        value != ""
        and (length is None or len(value) <= length)
        and "\x00" not in value
        and (choices is None or value in choices)
    )


# The checked text fields a row's value can pass without Field.clean (most of them).
_QUICK_TEXT = {
    key: quick
    for key, model_field in _CHECKED_FIELDS.items()
    if (quick := _quick_text(model_field)) is not None
}
