"""The complaints planner: a year of complaints and reports, batch by batch, and survey answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from django.utils import timezone

from complaints import clocks
from complaints.demo.data import (
    BATCH_SIZE,
    CATEGORY_WEIGHTS,
    CHANNEL_WEIGHTS,
    GOODS_SHARE,
    ITEMS,
    OPEN_ODR_STATES,
    REPORT_REASONS_CLOSED,
    REPORT_REASONS_OPEN,
    REPORT_SHARE,
    REPORT_TEXTS,
    REQUEST_TEXTS,
    SCENARIOS,
    S,
)
from complaints.demo.planning import Planned
from complaints.demo.workflow import ComplaintWorkflow
from complaints.models import (
    Clock,
    Complaint,
    ConsumptionKind,
    Kind,
    SurveyResponse,
)
from lyushunkou import crypto
from lyushunkou.workdays import Deadline
from units.demo import (
    ROADS,
)


class ComplaintPlanner(ComplaintWorkflow):
    """Builds unsaved complaints with their timelines from ``rng`` alone (no queries)."""

    # --- complaints --------------------------------------------------------------------------

    def batches(self, size: int = BATCH_SIZE) -> Iterator[list[Planned]]:
        batch: list[Planned] = []
        for index in range(self.count):
            batch.append(self.plan(index))
            if len(batch) >= size:
                yield batch
                batch = []
        if batch:
            yield batch

    def plan(self, index: int) -> Planned:
        rng = self.rng
        scenario = self.scenarios[index] if index < len(self.scenarios) else None
        if scenario is not None:
            kind, state, ago = scenario
            received_on = self.workdays_ago(ago)
        else:
            kind = Kind.REPORT if rng.random() < REPORT_SHARE else Kind.COMPLAINT
            state, received_on = "", self.draw_day()
        operator = state in (*OPEN_ODR_STATES,) or (
            scenario is not None and index >= len(SCENARIOS)
        )
        respondent = self.respondent(operator=operator)
        place = next((p for p in self.places if p.id == respondent.jurisdiction_id), None)
        category = rng.choices(list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values()))[0]
        goods = rng.random() < GOODS_SHARE[category]
        handler = self.handlers.get(respondent.jurisdiction_id, self.district_handler)
        received_at = self.moment(received_on)
        if received_on == self.today:
            received_at = min(received_at, self.now - dt.timedelta(minutes=30))
        id_number = self.id_number(place.code if place else "210212") if rng.random() < 0.4 else ""
        amount = (
            Decimal(rng.choice((50, 100, 200, 300, 500, 800, 1200, 2000, 3500, 6800)))
            + Decimal(rng.randrange(100)) / 100
            if rng.random() < 0.85
            else None
        )
        item = rng.choice(ITEMS[goods])
        complaint = Complaint(
            record_no=self.record_no(index),
            kind=kind,
            channel=rng.choices(list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values()))[0],
            received_at=received_at,
            complainant_name=self.person(),
            complainant_phone=self.phone(),
            complainant_id_encrypted=crypto.encrypt(id_number),
            complainant_id_hash=crypto.keyed_hash(id_number),
            complainant_address=(
                f"辽宁省大连市旅顺口区{place.name}{rng.choice(ROADS)}{rng.randint(1, 200)}号"
                if place and rng.random() < 0.5
                else ""
            ),
            unit_id=respondent.unit_id,
            respondent_name=respondent.name,
            respondent_credit_code=respondent.credit_code,
            respondent_address=respondent.address,
            jurisdiction_id=respondent.jurisdiction_id,
            consumption_kind=ConsumptionKind.GOODS if goods else ConsumptionKind.SERVICE,
            category=category,
            request_text=(
                rng.choice(REPORT_TEXTS)
                if kind == Kind.REPORT
                else REQUEST_TEXTS[category].format(item=item)
            ),
            amount_involved=amount if kind == Kind.COMPLAINT else None,
            created_at=received_at,
        )
        planned = Planned(complaint)
        self.event(planned, "registered", "", S.REGISTERED, handler, received_at)
        if kind == Kind.REPORT:
            self.report(planned, state, handler)
        else:
            self.workflow(planned, state, handler, respondent)
        complaint.version = len(planned.events)
        complaint.updated_at = planned.events[-1].at
        return planned

    def report(self, planned: Planned, state: str, handler: int | None) -> None:
        rng, complaint = self.rng, planned.complaint
        received_on = timezone.localdate(complaint.received_at)
        due = self.cal.add(received_on, clocks.REPORT_DECISION_DAYS)
        complaint.report_due = due.date
        self.clock(complaint, Clock.REPORT, due)
        verify_on = self.cal.add(received_on, rng.randint(1, 3)).date
        late = rng.random() < 0.06
        decide_on = self.cal.add(received_on, rng.randint(16, 22) if late else rng.randint(5, 14))
        if state == "registered":
            verify_on = self.today + dt.timedelta(days=1)
        elif state == "verifying":
            decide_on = Deadline(self.today + dt.timedelta(days=30), False)
        if verify_on > self.today:
            return
        at = self.event(
            planned, "verifying", S.REGISTERED, S.VERIFYING, handler, self.moment(verify_on)
        )
        if decide_on.date > self.today:
            return
        opened = state == "case_opened" or (state != "not_opened" and rng.random() < 0.4)
        reason = rng.choice(REPORT_REASONS_OPEN if opened else REPORT_REASONS_CLOSED)
        action = "case_opened" if opened else "case_not_opened"
        target = S.CASE_OPENED if opened else S.NOT_OPENED
        at = self.event(
            planned, action, S.VERIFYING, target, handler, self.moment(decide_on.date, at), reason
        )
        complaint.concluded_on = decide_on.date
        complaint.conclusion_note = reason
        self.clock(complaint, "", None)

    # --- surveys ------------------------------------------------------------------------------

    def surveys(self, count: int, entered_by: int | None) -> list[SurveyResponse]:
        rng = self.rng
        answers = []
        levels = list(SurveyResponse.LifeServices)
        for _ in range(count):
            aware = rng.random() < 0.85
            paper = entered_by is not None and rng.random() < 0.3
            day = self.draw_day()
            answers.append(
                SurveyResponse(
                    jurisdiction_id=rng.choices(self.places, self.place_weights)[0].id,
                    answered_on=day,
                    aware=aware,
                    approves=(rng.random() < 0.92) if aware else None,
                    life_services=rng.choices(levels, (55, 30, 10, 5))[0],
                    source=SurveyResponse.Source.PAPER if paper else SurveyResponse.Source.ONLINE,
                    entered_by_id=entered_by if paper else None,
                    created_at=self.moment(day),
                )
            )
        return answers
