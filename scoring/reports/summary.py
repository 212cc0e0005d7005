"""The written summary that opens every report (issue 14 item 7): sentences made by rules from
the report's data, nothing invented. Pure functions over the dict ``scoring.reports.data.gather``
returns (its ``summary_inputs`` from ``scoring.reports.summary_data``): no query, no clock.

Each paragraph says one thing the meeting asks first:
targets met and missed, with the change since the previous period and the same period a year
earlier; the streets whose number of targets not met fell or rose most since the previous period;
the most frequent complaint categories and their count then; failed batches and their disposal;
demonstration units put in warning or revoked; and what falls due in the month after the period.
Sentences are in the report's language (the caller renders under ``REPORT_LANGUAGE``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from scoring.reports.data import format_change

TOP_CATEGORIES = 3
LIST_SEPARATOR = "；"
CLAUSE_SEPARATOR = "，"


@dataclass(frozen=True)
class Paragraph:
    heading: str
    sentences: list[str]

    @property
    def text(self) -> str:
        return "".join(self.sentences)


def _changes(row: dict[str, Any], earlier: list[tuple[str, dict[str, Any] | None]]) -> str:
    """ "+1.2 个百分点 vs 2025-09, −0.5 个百分点 vs 2024-10" for the comparisons that have data."""
    parts = []
    unit_label = row.get("unit_label") or "%"
    for label, before in earlier:
        value = before.get("value") if before else None
        if row["value"] is None or value is None:
            continue
        change = format_change(Decimal(str(row["value"])), Decimal(str(value)), unit_label)
        parts.append(_("%(change)s vs %(period)s") % {"change": change, "period": label})
    return CLAUSE_SEPARATOR.join(parts) if parts else _("no earlier figure to compare")


def target_sentences(data: dict[str, Any]) -> list[str]:
    summary = data["summary"]
    if not summary["total"]:
        return [_("No target has been evaluated for this period.")]
    inputs = data["summary_inputs"]
    scope = data["scope"]["code"]
    previous = inputs["targets"]["previous"].get(scope, {})
    year_ago = inputs["targets"]["year_ago"].get(scope, {})
    sentences = [
        _(
            "Of %(total)s targets, %(met)s were met, %(missed)s were not met and %(none)s had "
            "no data."
        )
        % {
            "total": summary["total"],
            "met": summary["met"],
            "missed": summary["missed"],
            "none": summary["no_data"],
        }
    ]

    def items(rows: list[dict[str, Any]]) -> str:
        return LIST_SEPARATOR.join(
            _("%(label)s %(value)s (threshold %(threshold)s; %(changes)s)")
            % {
                "label": row["label"],
                "value": row["value_text"],
                "threshold": row["threshold_text"],
                "changes": _changes(
                    row,
                    [
                        (data["previous_label"], previous.get(row["key"])),
                        (inputs["year_ago_label"], year_ago.get(row["key"])),
                    ],
                ),
            }
            for row in rows
        )

    met = [row for row in data["targets"] if row["met"] is True]
    missed = [row for row in data["targets"] if row["met"] is False]
    none = [row for row in data["targets"] if row["met"] is None]
    if missed:
        sentences.append(_("Not met: %(items)s.") % {"items": items(missed)})
    if met:
        sentences.append(_("Met: %(items)s.") % {"items": items(met)})
    if none:
        sentences.append(
            _("No data or too few to judge: %(items)s.")
            % {"items": "、".join(row["label"] for row in none)}
        )
    return sentences


def _missed(rows: Any) -> int:
    return sum(1 for row in rows if row["met"] is False)


def street_sentences(data: dict[str, Any]) -> list[str]:
    """The streets whose number of targets not met fell (improved) or rose (declined) most since
    the previous period; only streets evaluated in both periods are compared."""
    if not data["jurisdictions"]:
        return []
    previous = data["summary_inputs"]["targets"]["previous"]
    changes = []
    for street in data["jurisdictions"]:
        before = previous.get(street["code"])
        if not street["targets"] or not before:
            continue
        changes.append((street["name"], _missed(before.values()), street["summary"]["missed"]))
    period = data["previous_label"]
    if not changes:
        return [
            _("The streets cannot be compared with %(period)s: it was not evaluated.")
            % {"period": period}
        ]

    def listed(chosen: list[tuple[str, int, int]]) -> str:
        return LIST_SEPARATOR.join(
            _("%(name)s (targets not met %(before)s → %(after)s)")
            % {"name": name, "before": before, "after": after}
            for name, before, after in chosen
        )

    best = min(after - before for _name, before, after in changes)
    worst = max(after - before for _name, before, after in changes)
    sentences = []
    if best < 0:
        improved = [c for c in changes if c[2] - c[1] == best]
        sentences.append(_("Improved most: %(items)s.") % {"items": listed(improved)})
    if worst > 0:
        declined = [c for c in changes if c[2] - c[1] == worst]
        sentences.append(_("Declined most: %(items)s.") % {"items": listed(declined)})
    if not sentences:
        sentences.append(
            _("No street's number of targets not met changed since %(period)s.")
            % {"period": period}
        )
    return sentences


def complaint_sentences(data: dict[str, Any]) -> list[str]:
    complaints = data["complaints"]
    before = data["summary_inputs"]["previous_categories"]
    period = data["previous_label"]
    sentences = [
        _("%(n)s complaints were received (%(period)s: %(before)s).")
        % {"n": complaints["received"], "period": period, "before": sum(before.values())}
    ]
    top = sorted(
        (row for row in complaints["by_category"] if row["n"]),
        key=lambda row: -row["n"],
    )[:TOP_CATEGORIES]
    if top:
        sentences.append(
            _("Most frequent categories: %(items)s.")
            % {
                "items": LIST_SEPARATOR.join(
                    _("%(label)s %(n)s (%(period)s: %(before)s)")
                    % {
                        "label": row["label"],
                        "n": row["n"],
                        "period": period,
                        "before": before.get(row["label"], 0),
                    }
                    for row in top
                )
            }
        )
    return sentences


def failure_sentences(data: dict[str, Any]) -> list[str]:
    sampling = data["sampling"]
    if not sampling["failed_total"]:
        return [_("No batch failed in the period.")]
    sentences = [_("%(n)s batches failed.") % {"n": sampling["failed_total"]}]
    done = [row for row in sampling["disposals"] if row["n"]]
    if done:
        sentences.append(
            _("Disposals recorded: %(items)s.")
            % {"items": "、".join(f"{row['label']} {row['n']}" for row in done)}
        )
    if sampling["undisposed"]:
        sentences.append(
            _("%(n)s failed batches have no disposal yet.") % {"n": sampling["undisposed"]}
        )
    else:
        sentences.append(_("Every failed batch has a disposal recorded."))
    return sentences


def programme_sentences(data: dict[str, Any]) -> list[str]:
    programme = data["programme"]
    if not programme["warnings"] and not programme["revocations"]:
        return [_("No demonstration unit was put in warning or revoked.")]
    return [
        _("%(warned)s demonstration units were put in warning and %(revoked)s were revoked.")
        % {"warned": programme["warnings"], "revoked": programme["revocations"]}
    ]


def deadline_sentences(data: dict[str, Any]) -> list[str]:
    inputs = data["summary_inputs"]
    due = inputs["deadlines"]
    month = inputs["next_month_label"]
    if not any(due.values()):
        return [_("Nothing falls due in %(month)s.") % {"month": month}]
    return [
        _(
            "Due in %(month)s: %(complaints)s open complaints reach their legal time limit, "
            "%(disposals)s failed batches their disposal deadline, %(retests)s failed batches "
            "their re-test application deadline, and %(certificates)s demonstration "
            "certificates expire."
        )
        % {"month": month, **due}
    ]


def summarise(data: dict[str, Any]) -> list[Paragraph]:
    """The summary's paragraphs, in the order the report prints them (empty ones left out)."""
    paragraphs = [
        Paragraph(_("Targets"), target_sentences(data)),
        Paragraph(_("Streets"), street_sentences(data)),
        Paragraph(_("Complaints"), complaint_sentences(data)),
        Paragraph(_("Failed batches"), failure_sentences(data)),
        Paragraph(_("The demonstration programme"), programme_sentences(data)),
        Paragraph(_("Deadlines next month"), deadline_sentences(data)),
    ]
    return [paragraph for paragraph in paragraphs if paragraph.sentences]
