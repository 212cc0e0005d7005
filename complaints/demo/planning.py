"""The building blocks of a planned complaint: its respondent, the unsaved records, and the
planner's generators (names, phones, moments, days) and timeline events."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone

from complaints.demo.data import LINKED_SHARE, MONTH_WEIGHTS, SCENARIOS
from complaints.demo.workdays import FastCalendar
from complaints.models import (
    Complaint,
    ComplaintEvent,
    FaultFinding,
    Kind,
    MediationRecord,
    Outcome,
    TerminationGround,
)
from lyushunkou.workdays import Deadline
from units.demo import (
    BRAND_WORDS,
    DEFAULT_JURISDICTION_WEIGHT,
    JURISDICTION_WEIGHTS,
    ROADS,
    SHOP_SUFFIXES,
    Place,
    generators,
)


@dataclass(frozen=True)
class Respondent:
    unit_id: int | None
    name: str
    credit_code: str
    address: str
    jurisdiction_id: int
    owner_id: int | None = None


@dataclass
class Planned:
    complaint: Complaint
    events: list[ComplaintEvent] = field(default_factory=list)
    mediations: list[MediationRecord] = field(default_factory=list)


def fault_finding_of(record_no: str, outcome: str, complaint: Complaint) -> str:
    """Staff's finding of fault on conclusion (rubric v2), drawn from the record number so the
    planner's random stream is unchanged: mostly at fault when the operator remedied through
    mediation, half the time when mediation failed, refused when it would not attend, and not
    recorded on some (as imports leave it)."""
    draw = random.Random(f"fault:{record_no}").random()
    if outcome == Outcome.TERMINATED and complaint.termination_ground == TerminationGround.ABSENT:
        return FaultFinding.REFUSED_MEDIATION
    if draw < 0.15:
        return ""
    if outcome == Outcome.MEDIATED:
        return FaultFinding.AT_FAULT if draw < 0.75 else FaultFinding.NOT_AT_FAULT
    if outcome in (Outcome.FAILED, Outcome.TRANSFERRED):
        return FaultFinding.AT_FAULT if draw < 0.55 else FaultFinding.NOT_AT_FAULT
    return FaultFinding.NOT_AT_FAULT


class PlannerBase:
    """The planner's state and its small generators; ``ComplaintWorkflow`` and
    ``ComplaintPlanner`` build on it."""

    def __init__(
        self,
        rng: random.Random,
        *,
        count: int,
        places: Sequence[Place],
        units: Sequence[Respondent],
        operator_units: Sequence[Respondent],
        handlers: dict[int, int],
        district_handler: int | None,
        calendar: FastCalendar,
        today: dt.date,
        now: dt.datetime,
    ) -> None:
        self.rng = rng
        self.count = count
        self.places = list(places)
        self.place_weights = [
            JURISDICTION_WEIGHTS.get(place.code, DEFAULT_JURISDICTION_WEIGHT)
            for place in self.places
        ]
        self.units = list(units)
        self.operator_units = list(operator_units)
        self.handlers = handlers
        self.district_handler = district_handler
        self.cal = calendar
        self.today, self.now = today, now
        self.tz = timezone.get_default_timezone()
        self.tag = rng.randrange(10_000)
        self.days = [today - dt.timedelta(days=offset) for offset in range(364, -1, -1)]
        weights = [self.day_weight(day) for day in self.days]
        self.day_cum = list(itertools.accumulate(weights))
        # Forwarded to the demo operators beyond the scenarios: "a few" in their workspace.
        showcase = min(max(6, count // 250), 60) if self.operator_units else 0
        self.scenarios: list[tuple[str, str, int]] = list(SCENARIOS)
        for index in range(showcase):
            state = ("odr", "odr_responded", Outcome.MEDIATED, "odr_escalated")[index % 4]
            # Those still with the operator were forwarded within the 10-day response period.
            ago = 2 + index % 7 if state == "odr" else 5 + (index * 3) % 90
            self.scenarios.append((Kind.COMPLAINT, state, ago))

    @staticmethod
    def day_weight(day: dt.date) -> float:
        weight = MONTH_WEIGHTS[day.month]
        if day.month == 3 and 10 <= day.day <= 16:
            weight *= 2.5  # 3·15 consumer-rights day
        if day.month == 10 and day.day <= 8:
            weight *= 1.8  # Golden Week
        if day.month == 5 and day.day <= 5:
            weight *= 1.5
        return weight * (0.75 if day.weekday() >= 5 else 1.0)

    def record_no(self, index: int) -> str:
        return f"1210212{self.tag:04d}{index:06d}"

    # --- small generators -------------------------------------------------------------------

    def person(self) -> str:
        return generators.person(self.rng)

    def phone(self) -> str:
        return generators.phone(self.rng, mobile_share=0.92)

    def id_number(self, place_code: str) -> str:
        """A synthetic 18-digit resident ID with a valid GB 11643 check digit."""
        rng = self.rng
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 55))
        body = f"{place_code[:6]}{born:%Y%m%d}{rng.randrange(1000):03d}"
        weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
        check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
        return body + check

    def moment(self, day: dt.date, after: dt.datetime | None = None) -> dt.datetime:
        """A moment during office hours on ``day``, after ``after``, never in the future."""
        rng = self.rng
        at = dt.datetime.combine(
            day, dt.time(rng.randrange(8, 18), rng.randrange(60), rng.randrange(60)), self.tz
        )
        if after is not None and at <= after:
            at = after + dt.timedelta(minutes=rng.randrange(5, 90))
        return min(at, self.now)

    def draw_day(self) -> dt.date:
        point = self.rng.random() * self.day_cum[-1]
        return self.days[min(bisect.bisect_left(self.day_cum, point), len(self.days) - 1)]

    def workdays_ago(self, workdays: int) -> dt.date:
        day = self.today
        while workdays > 0:
            day -= dt.timedelta(days=1)
            if self.cal.between(day - dt.timedelta(days=1), day):
                workdays -= 1
        return day

    def respondent(self, *, operator: bool) -> Respondent:
        rng = self.rng
        if operator and self.operator_units:
            return rng.choice(self.operator_units)
        if self.units and rng.random() < LINKED_SHARE:
            return rng.choice(self.units)
        place = rng.choices(self.places, self.place_weights)[0]
        suffixes = SHOP_SUFFIXES[rng.choice(list(SHOP_SUFFIXES))]
        road = rng.choice(ROADS)
        return Respondent(
            unit_id=None,
            name=f"{rng.choice(BRAND_WORDS)}{rng.choice(suffixes)}",
            credit_code="",
            address=f"辽宁省大连市旅顺口区{place.name}{road}{rng.randint(1, 399)}号",
            jurisdiction_id=place.id,
        )

    def event(
        self,
        planned: Planned,
        action: str,
        source: str,
        target: str,
        actor: int | None,
        at: dt.datetime,
        note: str = "",
    ) -> dt.datetime:
        planned.events.append(
            ComplaintEvent(
                complaint=planned.complaint,
                action=action,
                from_status=source,
                to_status=target,
                actor_id=actor,
                at=at,
                note=note,
            )
        )
        planned.complaint.status = target or planned.complaint.status
        return at

    def clock(self, complaint: Complaint, clock: str, due: Deadline | None) -> None:
        complaint.current_clock = clock if due else ""
        complaint.current_due = due.date if due else None
        complaint.current_due_provisional = bool(due and due.provisional)
