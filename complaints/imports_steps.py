"""Checking the workflow columns of a row of the 12315 complaint file (受理决定 … 满意度) and
planning the steps the row adds to what the portal has recorded (see ``complaints.imports``)."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.translation import gettext as _

from complaints.exports import (
    ACCEPT,
    OUTCOME_NAMES,
    REFUSAL_KEYWORDS,
    REFUSAL_NAMES,
    REFUSE,
    SATISFACTION_NAMES,
)
from complaints.imports_rows import Context, Row, RowPlan, check_registration
from complaints.models import Complaint, Kind, Outcome, RefusalGround, Status
from lyushunkou.importing import RowError
from lyushunkou.tabular import header_key, parse_date_time

UNKNOWN = "?"  # a 受理决定 the row spells in a way not understood (already reported)
ACCEPTED_STATUSES = (Status.ACCEPTED, Status.ODR, Status.MEDIATING, Status.CONCLUDED)
DECISION_ALIASES = {
    ACCEPT: ACCEPT,
    REFUSE: REFUSE,
    "已受理": ACCEPT,
    "予以受理": ACCEPT,
    "不受理": REFUSE,
    "不予受理": REFUSE,
}


def validate_row(number: int, values: dict[str, str], ctx: Context) -> RowPlan | list[RowError]:
    """A row's plan, or every error it has (``row N, column: reason``)."""
    row, plan, received_on = check_registration(number, values, ctx)
    _decision(row, plan, received_on)
    _conclusion(row, plan, received_on)
    if row.errors:
        return row.errors
    _plan_steps(row, plan)
    return row.errors or plan


def refusal_ground_for(text: str) -> str:
    """The Art. 15 ground the 12315 wording names: its label or a keyword, else "other"."""
    key = header_key(text).lower()
    for value, name in REFUSAL_NAMES.items():
        if key == header_key(name).lower():
            return value
    for value, label in RefusalGround.choices:
        for language in ("en", "zh-hans"):
            with translation.override(language):
                if key == header_key(str(label)).lower():
                    return value
    for value, keywords in REFUSAL_KEYWORDS:
        if any(keyword in key for keyword in keywords):
            return value
    return RefusalGround.OTHER_LEGAL


def _decision(row: Row, plan: RowPlan, received_on: dt.date | None) -> None:
    text = row.value("decision")
    decision = ""
    if text:
        decision = DECISION_ALIASES.get(header_key(text), "")
        if not decision:
            row.error(
                "decision",
                _("Unknown value “%(value)s”; use one of: %(choices)s.")
                % {"value": text, "choices": f"{ACCEPT}、{REFUSE}"},
            )
            plan.decision = UNKNOWN
            return
    decided_on = row.date("decided_on", after=received_on)
    if decided_on and not decision:
        decision = ACCEPT  # a date of acceptance without the word: accepted
    reason = row.value("refusal_reason")
    if decision == REFUSE:
        if not reason:
            row.error("refusal_reason", _("Give the ground for not accepting."))
        plan.refusal_ground = refusal_ground_for(reason)
        plan.refusal_note = reason
        if decided_on is None:  # the date it ended, checked with the conclusion below
            parsed = parse_date_time(row.value("concluded_on"))
            decided_on = parsed[0] if parsed else None
        if decided_on is None and not row.value("concluded_on"):
            row.error("decided_on", _("Give the date of the decision."))
    else:
        if reason:
            row.error("refusal_reason", _("Only a complaint not accepted (不予受理) has a ground."))
        if decision == ACCEPT and decided_on is None:
            row.error("decided_on", _("Give the date the complaint was accepted."))
    plan.decision = decision
    plan.decided_on = decided_on


def _conclusion(row: Row, plan: RowPlan, received_on: dt.date | None) -> None:
    ctx = row.ctx
    decision = plan.decision
    outcome = row.choice("outcome", ctx.outcomes, OUTCOME_NAMES.values())
    errors_before = len(row.errors)
    concluded_on = row.date("concluded_on", after=received_on)
    if (
        concluded_on
        and len(row.errors) == errors_before  # a date already refused is not reported twice
        and decision == ACCEPT
        and plan.decided_on
        and concluded_on < plan.decided_on
    ):
        row.error("concluded_on", _("The conclusion cannot come before the acceptance."))
    recovered = row.amount("amount_recovered")
    satisfaction = row.choice(
        "satisfaction", ctx.satisfactions, list(SATISFACTION_NAMES.values())[:3]
    )
    if decision == REFUSE:
        if outcome:
            row.error("outcome", _("A complaint not accepted (不予受理) has no outcome."))
        if satisfaction:
            row.error("satisfaction", _("A callback follows the conclusion of a complaint."))
        if row.value("amount_recovered"):
            row.error(
                "amount_recovered", _("Only a successful mediation (调解成功) recovers money.")
            )
        return
    if outcome and not concluded_on and not row.value("concluded_on"):
        row.error("concluded_on", _("Give the date the complaint was concluded."))
    if concluded_on and not outcome and not row.value("outcome"):
        row.error("outcome", _("Give the outcome of the concluded complaint."))
    accepted_before = plan.existing is not None and plan.existing.status in ACCEPTED_STATUSES
    if (outcome or concluded_on) and decision == "" and not accepted_before:
        row.error(
            "decision",
            _("A complaint is concluded only after it was accepted: give 受理 and the 受理日期."),
        )
    if row.value("amount_recovered") and outcome != Outcome.MEDIATED:
        row.error("amount_recovered", _("Only a successful mediation (调解成功) recovers money."))
    concluded_before = plan.existing is not None and plan.existing.status == Status.CONCLUDED
    if satisfaction and not outcome and not concluded_before:
        row.error("satisfaction", _("A callback follows the conclusion of a complaint."))
    plan.outcome = outcome
    plan.concluded_on = concluded_on
    plan.amount_recovered = recovered
    plan.satisfaction = satisfaction


def _plan_steps(row: Row, plan: RowPlan) -> None:
    """The steps this row adds; a row contradicting a step already recorded is an error."""
    existing = plan.existing
    if existing is None:
        _plan_new(plan)
        return
    if existing.kind != Kind.COMPLAINT:
        row.error("record_no", _("This record number belongs to a report (举报), not a complaint."))
        return
    if plan.decision == REFUSE:
        _plan_refusal(row, plan, existing)
        return
    if existing.status == Status.REFUSED and (plan.decision or plan.outcome):
        row.error(
            "decision",
            _("The complaint was not accepted (%(date)s); the file says otherwise.")
            % {"date": _iso(existing.concluded_on)},
        )
        return
    if plan.decision == ACCEPT:
        if existing.status == Status.REGISTERED:
            plan.steps.append("accept")
        elif existing.accepted_on != plan.decided_on:
            _contradiction(row, "decided_on", _iso(existing.accepted_on))
    if plan.outcome:
        _plan_conclusion(row, plan, existing)
    if plan.satisfaction:
        _plan_satisfaction(row, plan, existing)


def _plan_new(plan: RowPlan) -> None:
    """A complaint the portal has not registered: every step the row gives."""
    plan.steps.append("register")
    if plan.decision == ACCEPT:
        plan.steps.append("accept")
    elif plan.decision == REFUSE:
        plan.steps.append("refuse")
    if plan.outcome:
        plan.steps.append("conclude")
    if plan.satisfaction:
        plan.steps.append("satisfaction")


def _plan_refusal(row: Row, plan: RowPlan, existing: Complaint) -> None:
    """A row saying a registered complaint was not accepted."""
    status = existing.status
    if status == Status.REGISTERED:
        plan.steps.append("refuse")
    elif status != Status.REFUSED:
        row.error(
            "decision",
            _("The complaint was accepted on %(date)s; the file says it was not accepted.")
            % {"date": _iso(existing.accepted_on)},
        )
    elif plan.decided_on and existing.concluded_on != plan.decided_on:
        _contradiction(row, "decided_on", _iso(existing.concluded_on))


def _plan_conclusion(row: Row, plan: RowPlan, existing: Complaint) -> None:
    """A row giving the outcome: the conclusion, or the one recorded must agree with it."""
    if existing.status != Status.CONCLUDED:
        plan.steps.append("conclude")
        return
    if existing.outcome != plan.outcome:
        _contradiction(row, "outcome", OUTCOME_NAMES.get(existing.outcome, existing.outcome))
    if existing.concluded_on != plan.concluded_on:
        _contradiction(row, "concluded_on", _iso(existing.concluded_on))
    if plan.amount_recovered is not None and existing.amount_recovered != plan.amount_recovered:
        amount = existing.amount_recovered
        _contradiction(row, "amount_recovered", f"{amount:.2f}" if amount else "—")


def _plan_satisfaction(row: Row, plan: RowPlan, existing: Complaint) -> None:
    """A row giving the callback's answer: the callback, or the one recorded must agree."""
    if existing.status == Status.CONCLUDED and existing.satisfaction:
        if existing.satisfaction != plan.satisfaction:
            recorded = SATISFACTION_NAMES.get(existing.satisfaction, existing.satisfaction)
            _contradiction(row, "satisfaction", recorded)
    else:
        plan.steps.append("satisfaction")


def _contradiction(row: Row, key: str, recorded: str) -> None:
    row.error(
        key,
        _("Contradicts the step already recorded (%(recorded)s); the portal keeps its record.")
        % {"recorded": recorded},
    )


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"
