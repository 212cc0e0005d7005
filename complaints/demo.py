"""Synthetic complaints for ``seed_demo``: a year of the district's 12315 register, and survey
answers.

Everything random comes from the ``rng`` the seeder protocol hands in (``lyushunkou.demo``), so a
seed always gives the same complaints; dates are relative to the day of seeding (a complaint is
open or overdue *today*). Complaints are built as unsaved model instances with a timeline that
matches their state, and saved with ``bulk_create`` batch by batch. The legal clocks come from one
``WorkdayCalendar`` loaded for the whole period (``FastCalendar``), which gives the same dates as
``complaints.clocks`` without one query per deadline.

About 70% of complaints are against seeded units (``units.demo``), a few of them against the demo
operators' units and forwarded to them (ODR), so the operator workspace has something to show.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from complaints import clocks
from complaints.models import (
    Category,
    Channel,
    Clock,
    Complaint,
    ComplaintEvent,
    ConsumptionKind,
    FaultFinding,
    Kind,
    MediationRecord,
    OdrResponse,
    Outcome,
    RefusalGround,
    Satisfaction,
    Status,
    SurveyResponse,
    TerminationGround,
)
from lyushunkou import audit, crypto
from lyushunkou.models import Role, User
from lyushunkou.workdays import Deadline, WorkdayCalendar, deadline
from units.demo import (
    BRAND_WORDS,
    DEFAULT_JURISDICTION_WEIGHT,
    GIVEN_NAMES,
    JURISDICTION_WEIGHTS,
    MOBILE_PREFIXES,
    ROADS,
    SHOP_SUFFIXES,
    SURNAME_WEIGHTS,
    SURNAMES,
    Place,
    _own_timestamps,
    _places,
)
from units.models import Unit

S = Status
SIZES = {"district": 5_000, "city": 100_000, "province": 500_000}
BATCH_SIZE = 2_000
SURVEYS_PER_COMPLAINT = 0.2  # ~1,000 answers a year at district scale
REPORT_SHARE = 0.08
LINKED_SHARE = 0.70
UNIT_POOL = 20_000  # units drawn from; a sample of the register at city and province scale
OPERATORS = ("operator", "operator2")

CHANNEL_WEIGHTS = {
    Channel.PLATFORM: 43,
    Channel.HOTLINE: 42,
    Channel.ONLINE: 8,
    Channel.VISIT: 5,
    Channel.LETTER: 2,
}
CATEGORY_WEIGHTS = {
    Category.QUALITY: 24,
    Category.PRICE: 18,
    Category.SERVICE: 16,
    Category.AFTER_SALES: 14,
    Category.CONTRACT: 10,
    Category.FALSE_ADVERTISING: 7,
    Category.OTHER: 6,
    Category.SAFETY: 5,
}
GOODS_SHARE = {
    Category.QUALITY: 0.85,
    Category.SAFETY: 0.8,
    Category.AFTER_SALES: 0.75,
    Category.FALSE_ADVERTISING: 0.6,
    Category.PRICE: 0.45,
    Category.OTHER: 0.4,
    Category.CONTRACT: 0.25,
    Category.SERVICE: 0.1,
}
# Complaints follow the tourist season and the holidays: summer by the sea, Golden Week, Spring
# Festival, and the 15 March consumer-rights day.
MONTH_WEIGHTS = {
    1: 1.0,
    2: 1.1,
    3: 1.1,
    4: 0.85,
    5: 1.1,
    6: 0.95,
    7: 1.45,
    8: 1.55,
    9: 1.0,
    10: 1.35,
    11: 0.75,
    12: 0.8,
}
OUTCOME_WEIGHTS = {
    Outcome.MEDIATED: 66,
    Outcome.FAILED: 12,
    Outcome.WITHDRAWN: 10,
    Outcome.TERMINATED: 7,
    Outcome.TRANSFERRED: 5,
}
REFUSAL_SHARE = 0.06
REFUSALS = (
    (RefusalGround.NOT_OUR_DUTY, "属于劳动争议，不属于市场监督管理部门职责范围。", 30),
    (RefusalGround.HANDLED_ELSEWHERE, "同一纠纷已由人民法院受理。", 15),
    (RefusalGround.NO_CONSUMER_DISPUTE, "为生产经营目的购买，不属于生活消费。", 20),
    (RefusalGround.TOO_LATE, "自知道权益受损之日起已超过三年。", 5),
    (RefusalGround.MATERIALS_MISSING, "未提供被投诉人具体信息，经告知后仍未补正。", 30),
)
TERMINATIONS = (
    (TerminationGround.NO_AGREEMENT_POSSIBLE, 40),
    (TerminationGround.ABSENT, 30),
    (TerminationGround.NO_TESTING_AGREEMENT, 15),
    (TerminationGround.SETTLED, 10),
    (TerminationGround.OTHER, 5),
)
TRANSFER_TARGETS = (
    "旅顺口区文化和旅游局",
    "旅顺口区交通运输局",
    "旅顺口区卫生健康局",
    "旅顺口区教育局",
    "大连市旅顺口区人民法院诉调对接中心",
)
SATISFACTION_WEIGHTS = {
    Satisfaction.SATISFIED: 68,
    Satisfaction.BASICALLY: 22,
    Satisfaction.DISSATISFIED: 7,
    Satisfaction.NO_ANSWER: 3,
}
CALLBACK_SHARE = 0.85
ODR_REPLIES = {
    OdrResponse.PROPOSAL: "同意为消费者退还部分款项，已电话联系消费者协商具体金额。",
    OdrResponse.SETTLED: "已与消费者协商一致，全额退款并致歉。",
    OdrResponse.DISPUTED: "商品系消费者使用不当所致，不同意退换，请求市场监管部门调解。",
}
REPORT_REASONS_OPEN = ("经核查，被举报人存在未明码标价行为，予以立案调查。",)
REPORT_REASONS_CLOSED = (
    "经现场核查，未发现举报所称违法行为，不予立案。",
    "违法事实不清，证据不足，不予立案。",
    "违法行为轻微并及时改正，没有造成危害后果，不予立案。",
)
ITEMS = {
    True: ("羽绒服", "电热水壶", "手机", "海参礼盒", "大樱桃", "运动鞋", "儿童玩具", "空调"),
    False: ("海鲜餐", "住宿", "美容卡", "培训课程", "汽车保养", "家政服务", "游船票", "洗浴卡"),
}
REQUEST_TEXTS = {
    Category.QUALITY: "购买的{item}使用不久即出现质量问题，商家拒绝退换，要求退货退款。",
    Category.SAFETY: "购买的{item}存在安全隐患，使用时险些造成伤害，要求退款并赔偿。",
    Category.PRICE: "消费{item}时结账价格与标价不符，多收费用，要求退还差价。",
    Category.SERVICE: "在{item}消费过程中服务人员态度恶劣，要求商家道歉并退还部分费用。",
    Category.CONTRACT: "预付{item}费用后商家不按约定履行，要求解除合同退还余款。",
    Category.FALSE_ADVERTISING: "商家宣传的{item}效果与实际严重不符，涉嫌虚假宣传，要求退款。",
    Category.AFTER_SALES: "{item}出现故障后商家拖延维修、不履行三包义务，要求维修或更换。",
    Category.OTHER: "在购买{item}时遇到纠纷，与商家协商未果，请求调解。",
}
REPORT_TEXTS = (
    "举报该商户商品未明码标价。",
    "举报该店销售过期食品。",
    "举报该商户使用未经检定的计量器具。",
    "举报该经营者发布虚假广告。",
)


class FastCalendar:
    """Working-day deadlines for a whole period from one ``WorkdayCalendar`` (one load of the
    overrides), with the same results as ``lyushunkou.workdays.deadline``."""

    def __init__(self, start: dt.date, end: dt.date) -> None:
        calendar = WorkdayCalendar(start, end)
        self.start, self.end = start, end
        self.worked: list[int] = []  # working days counted up to and including each day
        self.unsure: list[int] = []  # provisional days up to and including each day
        worked = unsure = 0
        day = start
        while day <= end:
            is_workday, provisional = calendar.day(day)
            worked += is_workday
            unsure += provisional
            self.worked.append(worked)
            self.unsure.append(unsure)
            day += dt.timedelta(days=1)

    def add(self, start: dt.date, workdays: int) -> Deadline:
        index = (start - self.start).days
        if not 0 <= index < len(self.worked):
            return deadline(start, workdays)
        target = self.worked[index] + workdays
        found = bisect.bisect_left(self.worked, target, lo=index + 1)
        if found >= len(self.worked):
            return deadline(start, workdays)
        provisional = self.unsure[found] > self.unsure[index]
        return Deadline(self.start + dt.timedelta(days=found), provisional)

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to ``end`` (both inside the period)."""
        return self.worked[(end - self.start).days] - self.worked[(start - self.start).days]


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


# What the first complaints of every run are, so even a small run (tests) has every state.
# (kind, state, working days ago received)
SCENARIOS: tuple[tuple[str, str, int], ...] = (
    (Kind.COMPLAINT, "registered", 1),
    (Kind.COMPLAINT, "registered_overdue", 10),
    (Kind.COMPLAINT, "accepted", 4),
    (Kind.COMPLAINT, "mediating", 20),
    (Kind.COMPLAINT, "mediating_overdue", 60),
    (Kind.COMPLAINT, "odr", 3),
    (Kind.COMPLAINT, "odr_responded", 15),
    (Kind.COMPLAINT, "odr_escalated", 25),
    (Kind.COMPLAINT, Outcome.MEDIATED, 40),
    (Kind.COMPLAINT, Outcome.FAILED, 45),
    (Kind.COMPLAINT, Outcome.TERMINATED, 50),
    (Kind.COMPLAINT, Outcome.WITHDRAWN, 35),
    (Kind.COMPLAINT, Outcome.TRANSFERRED, 30),
    (Kind.COMPLAINT, "refused", 20),
    (Kind.REPORT, "registered", 1),
    (Kind.REPORT, "verifying", 6),
    (Kind.REPORT, "case_opened", 40),
    (Kind.REPORT, "not_opened", 30),
)
OPEN_ODR_STATES = ("odr", "odr_responded", "odr_escalated")


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


class ComplaintPlanner:
    """Builds unsaved complaints with their timelines from ``rng`` alone (no queries)."""

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
        return self.rng.choices(SURNAMES, SURNAME_WEIGHTS)[0] + self.rng.choice(GIVEN_NAMES)

    def phone(self) -> str:
        rng = self.rng
        if rng.random() < 0.92:
            return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"
        return f"0411-86{rng.randrange(1_000_000):06d}"

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


# The timeline note of a callback, as ``complaint_record_satisfaction`` writes it (the label).
SATISFACTION_LABELS = {
    Satisfaction.SATISFIED: "满意",
    Satisfaction.BASICALLY: "基本满意",
    Satisfaction.DISSATISFIED: "不满意",
    Satisfaction.NO_ANSWER: "未评价",
}


# --- Saving ------------------------------------------------------------------------------------


def _respondents() -> tuple[list[Respondent], list[Respondent]]:
    """A sample of the register to complain about, and the demo operators' units."""
    total = Unit.objects.count()
    step = max(1, total // UNIT_POOL)
    fields = ("id", "name", "credit_code", "address", "jurisdiction_id", "owner_id")
    qs = Unit.objects.order_by("id")
    if step > 1:
        qs = qs.annotate(sample=F("id") % step).filter(sample=0)
    pool = [Respondent(*values) for values in qs.values_list(*fields)[:UNIT_POOL]]
    operators = [
        Respondent(*values)
        for values in Unit.objects.filter(owner__username__in=OPERATORS)
        .order_by("id")
        .values_list(*fields)
    ]
    return pool, operators


def _handlers() -> tuple[dict[int, int], int | None]:
    """Who handles complaints: a street's own staff where it has some, else the district's."""
    staff = User.objects.filter(role=Role.STAFF, is_active=True).order_by("id")
    district = (
        staff.filter(username="staff", jurisdiction__isnull=True).first()
        or staff.filter(jurisdiction__isnull=True).first()
    )
    by_street: dict[int, int] = {}
    for user_id, jurisdiction_id in staff.filter(jurisdiction__isnull=False).values_list(
        "id", "jurisdiction_id"
    ):
        by_street.setdefault(jurisdiction_id, user_id)
    return by_street, (district.pk if district else None)


def seed_complaints(**options: Any) -> None:
    """The ``complaints`` seeder: ``seed_complaints(*, rng, scale, stdout, count=None)`` (see
    ``lyushunkou.demo``); ``count`` overrides the scale in tests.

    Untyped keywords because ``complaints.apps`` forwards the seeder protocol's ``**kwargs``.
    """
    _seed(**options)


def _seed(*, rng: random.Random, scale: str, stdout: Any, count: int | None = None) -> None:
    """Idempotent: the first record number this seed plans marks a register already seeded."""
    total = count if count is not None else SIZES[scale]
    places = _places()
    if not places:
        stdout.write("complaints: no active streets; skipped")
        return
    probe = random.Random()
    probe.setstate(rng.getstate())
    first = f"1210212{probe.randrange(10_000):04d}{0:06d}"
    if Complaint.objects.filter(record_no=first).exists():
        stdout.write("complaints: demo complaints already seeded; nothing to do")
        return

    started = timezone.now()
    today = timezone.localdate()
    units, operator_units = _respondents()
    handlers, district_handler = _handlers()
    planner = ComplaintPlanner(
        rng,
        count=total,
        places=places,
        units=units,
        operator_units=operator_units,
        handlers=handlers,
        district_handler=district_handler,
        calendar=FastCalendar(today - dt.timedelta(days=400), today + dt.timedelta(days=400)),
        today=today,
        now=timezone.now(),
    )
    timestamps = [
        Complaint._meta.get_field("created_at"),
        Complaint._meta.get_field("updated_at"),
        ComplaintEvent._meta.get_field("at"),
        SurveyResponse._meta.get_field("created_at"),
    ]
    done = events = mediations = 0
    with transaction.atomic(), _own_timestamps(*timestamps):
        for batch in planner.batches():
            Complaint.objects.bulk_create([planned.complaint for planned in batch])
            timeline = [event for planned in batch for event in planned.events]
            records = [record for planned in batch for record in planned.mediations]
            ComplaintEvent.objects.bulk_create(timeline, batch_size=5_000)
            MediationRecord.objects.bulk_create(records, batch_size=5_000)
            done += len(batch)
            events += len(timeline)
            mediations += len(records)
            stdout.write(f"complaints: {done}/{total}")
        answers = planner.surveys(round(total * SURVEYS_PER_COMPLAINT), district_handler)
        SurveyResponse.objects.bulk_create(answers, batch_size=5_000)
        audit.record(
            "demo.complaints_seeded",
            scale=scale,
            complaints=done,
            events=events,
            mediation_records=mediations,
            surveys=len(answers),
        )
    seconds = (timezone.now() - started).total_seconds()
    stdout.write(
        f"complaints: seeded {done} complaints and reports, {events} timeline events, "
        f"{len(answers)} survey answers in {seconds:.1f} s"
    )
