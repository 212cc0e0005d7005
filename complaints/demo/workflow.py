"""A complaint's way through the register after it is registered: acceptance or refusal, ODR,
mediation and conclusion, with the callback."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from complaints import clocks
from complaints.demo.data import (
    CALLBACK_SHARE,
    ODR_REPLIES,
    OPEN_ODR_STATES,
    OUTCOME_WEIGHTS,
    REFUSAL_SHARE,
    REFUSALS,
    SATISFACTION_LABELS,
    SATISFACTION_WEIGHTS,
    TERMINATIONS,
    TRANSFER_TARGETS,
    S,
)
from complaints.demo.planning import Planned, PlannerBase, Respondent, fault_finding_of
from complaints.models import (
    Clock,
    MediationRecord,
    Outcome,
    Satisfaction,
    TerminationGround,
)
from lyushunkou.workdays import Deadline


class ComplaintWorkflow(PlannerBase):
    """The steps of a complaint (not a report) from acceptance to the callback."""

    def workflow(
        self, planned: Planned, state: str, handler: int | None, respondent: Respondent
    ) -> None:
        rng, complaint = self.rng, planned.complaint
        received_on = timezone.localdate(complaint.received_at)
        due = self.cal.add(received_on, clocks.ACCEPTANCE_DAYS)
        complaint.acceptance_due = due.date
        self.clock(complaint, Clock.ACCEPTANCE, due)
        delay = rng.choices((1, 2, 3, 4, 5, 6, 7, 9, 12), (20, 25, 20, 12, 8, 6, 5, 2, 2))[0]
        if state in ("registered", "registered_overdue"):
            delay = 40
        elif state:
            delay = 1
        decided_on = self.cal.add(received_on, delay).date
        if decided_on > self.today:
            return
        at = complaint.received_at
        refused = state == "refused" or (not state and rng.random() < REFUSAL_SHARE)
        if refused:
            ground, note, _weight = rng.choices(REFUSALS, [r[2] for r in REFUSALS])[0]
            self.event(
                planned,
                "refused",
                S.REGISTERED,
                S.REFUSED,
                handler,
                self.moment(decided_on, at),
                note,
            )
            complaint.refusal_ground = ground
            complaint.outcome = Outcome.REFUSED
            complaint.conclusion_note = note
            complaint.concluded_on = decided_on
            self.clock(complaint, "", None)
            return

        accepted_on = decided_on
        at = self.event(
            planned, "accepted", S.REGISTERED, S.ACCEPTED, handler, self.moment(accepted_on, at)
        )
        complaint.accepted_on = accepted_on
        complaint.handler_id = handler
        mediation_due = self.cal.add(accepted_on, clocks.MEDIATION_DAYS)
        complaint.mediation_due = mediation_due.date
        self.clock(complaint, Clock.MEDIATION, mediation_due)

        duration = rng.randint(46, 70) if rng.random() < 0.05 else int(rng.triangular(3, 44, 12))
        if state in ("accepted", "mediating", "mediating_overdue", *OPEN_ODR_STATES):
            duration = 200
        elif state and state in OUTCOME_WEIGHTS:
            duration = min(duration, 20)
        concluded_on = self.cal.add(accepted_on, duration).date

        started = False
        owner = respondent.owner_id
        if owner is not None and (state or rng.random() < 0.85):
            at, started, stop = self.odr(planned, state, handler, owner, accepted_on, at)
            if stop:
                return
        if concluded_on > self.today:
            recent = self.cal.between(accepted_on, self.today) < 5
            if not started and (state == "accepted" or (state != "mediating" and recent)):
                return  # accepted, mediation not started yet
            if not started:
                self.start_mediation(planned, handler, accepted_on, at)
            return

        if not started:
            at = self.start_mediation(planned, handler, accepted_on, at)
        last = timezone.localdate(at)
        if concluded_on < last:  # the operator answered late in the mediation period
            concluded_on = min(self.cal.add(last, rng.randint(1, 5)).date, self.today)
        outcome = state if state in OUTCOME_WEIGHTS else ""
        if not outcome:
            outcome = (
                Outcome.TERMINATED
                if duration > clocks.MEDIATION_DAYS
                else rng.choices(list(OUTCOME_WEIGHTS), list(OUTCOME_WEIGHTS.values()))[0]
            )
        self.conclude(planned, outcome, handler, concluded_on, duration, at)

    def odr(
        self,
        planned: Planned,
        state: str,
        handler: int | None,
        owner: int,
        accepted_on: dt.date,
        at: dt.datetime,
    ) -> tuple[dt.datetime, bool, bool]:
        """Forwarded to the operator: ``(last moment, mediation started, still with operator)``."""
        rng, complaint = self.rng, planned.complaint
        forwarded_on = accepted_on
        at = self.event(
            planned, "forwarded", S.ACCEPTED, S.ODR, handler, self.moment(forwarded_on, at)
        )
        odr_due = self.cal.add(forwarded_on, clocks.ODR_RESPONSE_DAYS)
        complaint.odr_forwarded_on = forwarded_on
        complaint.odr_due = odr_due.date
        answers = rng.random() < 0.85 and state not in ("odr", "odr_escalated")
        answer_on = self.cal.add(forwarded_on, rng.randint(1, 9)).date
        waiting = state == "odr" and odr_due.date >= self.today
        if waiting or (answers and answer_on > self.today):
            self.clock(complaint, Clock.ODR, odr_due)
            return at, False, True
        if answers:
            response = rng.choices(list(ODR_REPLIES), (45, 30, 25))[0]
            text = ODR_REPLIES[response]
            at = self.event(
                planned,
                "odr_responded",
                S.ODR,
                S.MEDIATING,
                owner,
                self.moment(answer_on, at),
                text,
            )
            complaint.odr_response = response
            complaint.odr_response_text = text
            complaint.odr_responded_at = at
        else:
            escalate_on = odr_due.date + dt.timedelta(days=1)
            if escalate_on > self.today:
                self.clock(complaint, Clock.ODR, odr_due)
                return at, False, True
            note = f"The operator did not respond by {odr_due.date.isoformat()}."
            escalated = dt.datetime.combine(escalate_on, dt.time(2, 0), self.tz)
            at = self.event(
                planned, "escalated", S.ODR, S.MEDIATING, None, max(escalated, at), note
            )
            complaint.odr_escalated = True
        mediation_due = complaint.mediation_due
        self.clock(
            complaint, Clock.MEDIATION, Deadline(mediation_due, False) if mediation_due else None
        )
        return at, True, False

    def start_mediation(
        self, planned: Planned, handler: int | None, accepted_on: dt.date, at: dt.datetime
    ) -> dt.datetime:
        day = min(self.cal.add(accepted_on, self.rng.randint(1, 3)).date, self.today)
        at = self.event(
            planned, "mediation_started", S.ACCEPTED, S.MEDIATING, handler, self.moment(day, at)
        )
        if handler is not None:
            planned.mediations.append(
                MediationRecord(
                    complaint=planned.complaint,
                    kind=MediationRecord.Kind.CONTACT,
                    occurred_at=at,
                    note="电话联系双方，了解争议经过，告知调解程序。",
                    recorded_by_id=handler,
                )
            )
        return at

    def conclude(
        self,
        planned: Planned,
        outcome: str,
        handler: int | None,
        concluded_on: dt.date,
        duration: int,
        at: dt.datetime,
    ) -> None:
        rng, complaint = self.rng, planned.complaint
        source = complaint.status
        note = ""
        if outcome == Outcome.MEDIATED:
            involved = complaint.amount_involved or Decimal(rng.randrange(50, 2000))
            share = Decimal(rng.choice((30, 50, 60, 80, 100, 100, 100))) / 100
            complaint.amount_recovered = (involved * share).quantize(Decimal("0.01"))
            note = "经调解，双方达成一致，经营者退还消费者款项。"
        elif outcome == Outcome.TERMINATED:
            ground = (
                TerminationGround.TIME_LIMIT
                if duration > clocks.MEDIATION_DAYS
                else rng.choices([t[0] for t in TERMINATIONS], [t[1] for t in TERMINATIONS])[0]
            )
            complaint.termination_ground = ground
            complaint.termination_notice_due = self.cal.add(
                concluded_on, clocks.TERMINATION_NOTICE_DAYS
            ).date
            note = "终止调解，已告知双方可依法通过其他途径解决。"
        elif outcome == Outcome.TRANSFERRED:
            complaint.transferred_to = rng.choice(TRANSFER_TARGETS)
            note = f"移送{complaint.transferred_to}处理。"
        elif outcome == Outcome.FAILED:
            note = "双方分歧较大，调解不成，告知消费者可依法向人民法院起诉。"
        elif outcome == Outcome.WITHDRAWN:
            note = "消费者与经营者自行和解，撤回投诉。"
        at = self.event(
            planned,
            "concluded",
            source,
            S.CONCLUDED,
            handler,
            self.moment(concluded_on, at),
            note,
        )
        complaint.outcome = outcome
        complaint.concluded_on = concluded_on
        complaint.conclusion_note = note
        complaint.fault_finding = fault_finding_of(complaint.record_no, outcome, complaint)
        self.clock(complaint, "", None)
        if handler is not None and rng.random() < 0.3:
            planned.mediations.append(
                MediationRecord(
                    complaint=complaint,
                    kind=MediationRecord.Kind.SESSION,
                    occurred_at=at - dt.timedelta(hours=1),
                    note="组织双方现场调解。",
                    recorded_by_id=handler,
                )
            )
        answer_day = concluded_on + dt.timedelta(days=rng.randint(1, 5))
        if answer_day > self.today or rng.random() >= CALLBACK_SHARE:
            return
        answer = rng.choices(list(SATISFACTION_WEIGHTS), list(SATISFACTION_WEIGHTS.values()))[0]
        via_link = rng.random() < 0.4 and answer != Satisfaction.NO_ANSWER
        at = self.event(
            planned,
            "callback_answered",
            "",
            "",
            None if via_link else handler,
            self.moment(answer_day, at),
            SATISFACTION_LABELS[answer],
        )
        complaint.satisfaction = answer
        complaint.satisfaction_at = at
        complaint.satisfaction_via_link = via_link
