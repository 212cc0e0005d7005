"""A planned demonstration application: its history backwards from the last step to the outcome
asked for, and what approval does to the unit (certificate, warning, revocation, notice)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from units.demo.base import PlannerBase
from units.demo.data import (
    APPROVE_NOTE,
    ONSITE_NOTES,
    REJECT_REASONS,
    RETURN_REASONS,
    REVOKE_REASONS,
    STATEMENT,
)
from units.demo.records import PlannedApplication, PlannedEvent
from units.demo_status import LAPSES
from units.models import (
    ApplicationStatus,
    DemonstrationApplication,
    DemonstrationStatus,
    Unit,
)
from units.services import CERTIFICATE_VALIDITY_DAYS

S = ApplicationStatus


class ApplicationPlanner(PlannerBase):
    """The planner's applications part."""

    def application(self, unit: Unit, outcome: str) -> PlannedApplication:
        """An application whose history leads to ``outcome``, dated backwards from its last step.

        The random draws come in a fixed order (last day, steps, days between them, then what
        approval draws), so that the plan, and every other app's demo data, stays the same."""
        last_day = self._last_day(outcome)
        events = self._events(self._steps(outcome), last_day)
        if outcome == "notice":  # approved a day after the on-site check, with no draw
            last_day += dt.timedelta(days=1)
            at = events[-1].at + dt.timedelta(days=1)
            events.append(PlannedEvent(S.ONSITE_CHECK, S.NOTICE, False, at, APPROVE_NOTE))
        status = events[-1].to_status
        submitted = [e.at for e in events if e.to_status == S.SUBMITTED]
        staff_note = next((e.reason for e in reversed(events) if not e.by_applicant), "")
        application = DemonstrationApplication(
            unit=unit,
            year=last_day.year,
            status=status,
            statement=STATEMENT,
            commitments_confirmed=status != S.DRAFT or self.rng.random() < 0.5,
            staff_note=staff_note if status in (S.DRAFT, S.REJECTED) else "",
            submitted_at=submitted[-1] if submitted else None,
            decided_at=events[-1].at if status in (S.APPROVED, S.REJECTED, S.NOTICE) else None,
            version=len(events),
            created_at=events[0].at,
            updated_at=events[-1].at,
        )
        if status == S.APPROVED:
            lapse = self._certify(application, unit, outcome, last_day)
            return PlannedApplication(application, events, lapse)
        if status == S.NOTICE:
            ends_on = last_day + dt.timedelta(days=settings.NOTICE_DAYS - 1)
            application.valid_from = ends_on + dt.timedelta(days=1)
            application.valid_until = ends_on + dt.timedelta(days=CERTIFICATE_VALIDITY_DAYS)
            return PlannedApplication(application, events, notice=(last_day, ends_on))
        return PlannedApplication(application, events)

    def _last_day(self, outcome: str) -> dt.date:
        """The day of the application's last step before today."""
        rng = self.rng
        if outcome in ("approved", "warning", "revoked"):
            # Decided 10–330 days ago: the one-year certificate is still running today.
            return self.today - dt.timedelta(days=rng.randrange(10, 330))
        if outcome == "expired":
            return self.today - dt.timedelta(days=rng.randrange(400, 700))
        if outcome == "notice":
            # The on-site check a few days ago and approval the day after, so that the notice
            # still runs today. The same draws as an on-site check outcome: the rest of the plan
            # (and every other app's demo data) stays as it was.
            return self.today - dt.timedelta(
                days=2 + rng.randrange(1, 60) % max(settings.NOTICE_DAYS - 1, 1)
            )
        return self.today - dt.timedelta(days=rng.randrange(1, 60))

    def _steps(self, outcome: str) -> list[tuple[str, str, bool, str]]:
        """The steps leading to ``outcome`` (source, target, by the applicant, reason), up to
        the on-site check's approval; a public notice's approval is added by the caller."""
        rng = self.rng
        steps: list[tuple[str, str, bool, str]] = [("", S.DRAFT, True, "")]
        if outcome == "draft":
            if rng.random() < 0.3:  # returned for changes once
                reason = rng.choice(RETURN_REASONS)
                steps += [(S.DRAFT, S.SUBMITTED, True, ""), (S.SUBMITTED, S.DRAFT, False, reason)]
        else:
            steps.append((S.DRAFT, S.SUBMITTED, True, ""))
        path = [S.UNDER_REVIEW, S.ONSITE_CHECK]
        if outcome == "under_review":
            path = path[:1]
        elif outcome in ("draft", "submitted"):
            path = []
        elif outcome == "rejected":
            path = path[: rng.randrange(3)]
        notes = {S.UNDER_REVIEW: "", S.ONSITE_CHECK: rng.choice(ONSITE_NOTES)}
        for target in path:
            steps.append((steps[-1][1], target, False, notes[target]))
        if outcome == "rejected":
            steps.append((steps[-1][1], S.REJECTED, False, rng.choice(REJECT_REASONS)))
        elif outcome in ("approved", "warning", "revoked", "expired"):
            steps.append((S.ONSITE_CHECK, S.APPROVED, False, APPROVE_NOTE))
        return steps

    def _events(
        self, steps: list[tuple[str, str, bool, str]], last_day: dt.date
    ) -> list[PlannedEvent]:
        """The steps dated backwards from ``last_day``: a few days between steps, office hours
        each time."""
        days = [last_day]
        for _ in steps[1:]:
            days.append(days[-1] - dt.timedelta(days=self.rng.randrange(1, 8)))
        days.reverse()
        return [
            PlannedEvent(source, target, by_applicant, self.at(day), reason)
            for (source, target, by_applicant, reason), day in zip(steps, days, strict=True)
        ]

    def _certify(
        self, application: DemonstrationApplication, unit: Unit, outcome: str, last_day: dt.date
    ) -> str:
        """What approval on ``last_day`` does: the certificate and, for a later warning or
        revocation, the unit's status. Returns the lapse that put a warned unit in warning."""
        year = application.year
        self.certificate_counters[year] = self.certificate_counters.get(year, 0) + 1
        number = f"LSK-FXXF-{year}-{self.certificate_counters[year]:05d}"
        valid_until = last_day + dt.timedelta(days=CERTIFICATE_VALIDITY_DAYS - 1)
        application.certificate_no = number
        application.valid_from = last_day
        application.valid_until = valid_until
        unit.certificate_no = number
        unit.certified_from = last_day
        unit.certified_until = valid_until
        unit.demonstration_status = DemonstrationStatus.APPROVED
        unit.version += 1
        lapse = ""
        if outcome == "warning":
            # The same single draw as a reason text took before: the plan stays the same.
            lapse = self.rng.choice(LAPSES)
        elif outcome == "revoked":
            unit.status_reason = self.rng.choice(REVOKE_REASONS)
        if outcome in ("warning", "revoked"):
            unit.demonstration_status = outcome
            unit.version += 1
        return lapse
