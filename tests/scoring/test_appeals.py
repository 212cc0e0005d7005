"""Replies to and appeals against a grade, and the staff's decisions (issue 6 item 3, DESIGN.md §5:
"an operator may reply to and appeal a grade within 21 days; staff decide")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections import services_checks as checks
from lyushunkou.claims import StaleObject
from lyushunkou.models import AuditEvent, Jurisdiction, Notification, Role, User
from scoring import periods
from scoring.grading import appeals, engine
from scoring.models import APPEAL_DAYS, Appeal, ScoreCorrection, UnitScore
from tests.conftest import client_for, make_user
from tests.helpers import english
from tests.scoring.matrix_scores import make_appeal, make_score
from units.models import Unit

pytestmark = pytest.mark.django_db

PERIOD = periods.current().key


def score_url(unit: Unit, period: str = PERIOD) -> str:
    return reverse("score-detail", kwargs={"unit_pk": unit.pk, "period": period})


def respond_url(unit: Unit, period: str = PERIOD) -> str:
    return reverse("score-respond", kwargs={"unit_pk": unit.pk, "period": period})


def decide_url(appeal: Appeal) -> str:
    return reverse("appeal-detail", kwargs={"pk": appeal.pk})


def days_ago(n: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=n)


APPEAL = {"kind": "appeal", "guarantee": "price", "text": "价签问题已当场整改，请复核。"}


# --- The operator replies or appeals -----------------------------------------------------------


def test_the_operator_appeals_within_21_days_and_staff_in_scope_are_told(
    unit: Unit,
    operator: User,
    street_staff: User,
    district_staff: User,
    desheng: Jurisdiction,
) -> None:
    desheng_staff = make_user("ivan", Role.STAFF, desheng)
    score = make_score(unit, computed_at=days_ago(APPEAL_DAYS - 1), grade="C")
    response = client_for(operator).post(respond_url(unit), APPEAL)
    assert response.status_code == 302
    assert response["Location"] == score_url(unit)
    appeal = Appeal.objects.get(unit=unit)
    assert (appeal.kind, appeal.status, appeal.guarantee, appeal.grade) == (
        "appeal",
        "pending",
        "price",
        "C",
    )
    assert appeal.due == appeals.appeal_due(score)
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert told == {street_staff.username, district_staff.username}
    assert desheng_staff.username not in told
    assert Notification.objects.filter(link=decide_url(appeal)).count() == 2
    assert AuditEvent.objects.filter(action="score.appeal_submitted", actor=operator).exists()
    page = client_for(operator).get(score_url(unit)).content.decode()
    assert f'id="appeal-{appeal.pk}"' in page
    assert 'data-status="pending"' in page


def test_the_last_day_to_appeal_is_the_21st_after_the_computation(
    unit: Unit, operator: User
) -> None:
    score = make_score(unit, computed_at=days_ago(APPEAL_DAYS))
    assert appeals.appeal_due(score) == timezone.localdate()
    assert client_for(operator).post(respond_url(unit), APPEAL).status_code == 302


def test_an_appeal_after_21_days_is_refused_with_the_date_it_was_due(
    unit: Unit, operator: User
) -> None:
    score = make_score(unit, computed_at=days_ago(APPEAL_DAYS + 1))
    due = appeals.appeal_due(score)
    assert due == timezone.localdate() - dt.timedelta(days=1)
    own = english(client_for(operator))
    page = own.get(score_url(unit)).content.decode()
    assert 'data-testid="appeal-closed"' in page
    assert 'data-testid="appeal-form"' not in page
    assert due.isoformat() in page
    response = own.post(respond_url(unit), APPEAL)
    assert response.status_code == 400
    assert not Appeal.objects.exists()
    html = response.content.decode()
    assert f"it was due by {due.isoformat()}" in html


def test_a_reply_is_noted_at_once(unit: Unit, operator: User) -> None:
    make_score(unit)
    reply = {"kind": "reply", "guarantee": "", "text": "已知悉，正在整改。"}
    assert client_for(operator).post(respond_url(unit), reply).status_code == 302
    appeal = Appeal.objects.get(unit=unit)
    assert (appeal.kind, appeal.status) == ("reply", "noted")
    assert not Notification.objects.exists()  # nothing for staff to decide
    assert "已知悉，正在整改。" in client_for(operator).get(score_url(unit)).content.decode()


def test_an_appeal_names_the_guarantee(unit: Unit, operator: User) -> None:
    make_score(unit)
    response = client_for(operator).post(respond_url(unit), {**APPEAL, "guarantee": ""})
    assert response.status_code == 400
    assert "guarantee" in response.context["appeal_form"].errors
    assert not Appeal.objects.exists()


def test_one_appeal_per_unit_and_period_awaits_a_decision(unit: Unit, operator: User) -> None:
    make_score(unit)
    make_score(unit, "2026-10")
    own = client_for(operator)
    assert own.post(respond_url(unit), APPEAL).status_code == 302
    assert own.post(respond_url(unit), {**APPEAL, "guarantee": "quality"}).status_code == 400
    # A reply, or an appeal against another period's grade, is still taken.
    assert own.post(respond_url(unit), {**APPEAL, "kind": "reply"}).status_code == 302
    assert own.post(respond_url(unit, "2026-10"), APPEAL).status_code == 302
    assert Appeal.objects.filter(kind="appeal", status="pending").count() == 2


def test_only_the_units_operator_replies_or_appeals(
    unit: Unit, other_operator: User, street_staff: User, leader: User
) -> None:
    make_score(unit)
    assert client_for(other_operator).post(respond_url(unit), APPEAL).status_code == 404
    assert client_for(street_staff).post(respond_url(unit), APPEAL).status_code == 403
    assert client_for(leader).post(respond_url(unit), APPEAL).status_code == 403
    assert not Appeal.objects.exists()


# --- Staff decide -------------------------------------------------------------------------------


@pytest.fixture
def pending(unit: Unit, operator: User) -> Appeal:
    return make_appeal(make_score(unit, grade="C"), operator)


def test_a_dismissal_needs_a_reason(pending: Appeal, street_staff: User) -> None:
    response = client_for(street_staff).post(
        decide_url(pending), {"version": pending.version, "decision": "dismissed", "reason": ""}
    )
    assert response.status_code == 400
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_a_dismissed_appeal_shows_its_reason_to_the_operator(
    pending: Appeal, unit: Unit, operator: User, street_staff: User
) -> None:
    reason = "复核抽检记录无误，维持原评级。"
    response = client_for(street_staff).post(
        decide_url(pending),
        {"version": pending.version, "decision": "dismissed", "reason": reason},
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by, pending.decision_reason) == (
        "dismissed",
        street_staff,
        reason,
    )
    assert not ScoreCorrection.objects.exists()
    note = Notification.objects.get(user=operator)
    assert note.link == score_url(unit)
    assert AuditEvent.objects.filter(action="score.appeal_dismissed", actor=street_staff).exists()
    page = client_for(operator).get(score_url(unit)).content.decode()
    assert 'data-status="dismissed"' in page
    assert reason in page


def test_a_stale_decision_is_refused(
    pending: Appeal, street_staff: User, district_staff: User
) -> None:
    stale_version = pending.version
    appeals.appeal_decide(
        appeal=pending,
        by=district_staff,
        version=stale_version,
        upheld=False,
        reason="已由区局决定。",
    )
    response = client_for(street_staff).post(
        decide_url(pending),
        {"version": stale_version, "decision": "dismissed", "reason": "重复决定"},
        follow=True,
    )
    assert response.status_code == 200
    pending.refresh_from_db()
    assert (pending.decided_by, pending.decision_reason) == (district_staff, "已由区局决定。")
    assert response.context["form"] is None  # decided: nothing left to decide on the page


def test_two_staff_deciding_at_once_cannot_both_win(
    pending: Appeal, street_staff: User, district_staff: User
) -> None:
    twin = Appeal.objects.get(pk=pending.pk)  # the second staff member's copy
    appeals.appeal_decide(appeal=pending, by=street_staff, version=1, upheld=False, reason="维持。")
    with pytest.raises(StaleObject):
        appeals.appeal_decide(
            appeal=twin,
            by=district_staff,
            version=1,
            upheld=True,
            reason="支持。",
            correction=appeals.Correction(guarantee="price", points=Decimal(2)),
        )
    assert not ScoreCorrection.objects.exists()


def test_leaders_and_other_streets_cannot_decide(
    pending: Appeal, leader: User, desheng: Jurisdiction
) -> None:
    desheng_staff = make_user("ivan", Role.STAFF, desheng)
    data = {"version": pending.version, "decision": "dismissed", "reason": "x"}
    assert client_for(leader).post(decide_url(pending), data).status_code == 403
    assert client_for(desheng_staff).post(decide_url(pending), data).status_code == 404
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_a_reply_is_not_decided(unit: Unit, operator: User, street_staff: User) -> None:
    reply = make_appeal(make_score(unit), operator, kind="reply", status="noted")
    staff = client_for(street_staff)
    assert staff.get(decide_url(reply)).context["form"] is None
    staff.post(decide_url(reply), {"version": 1, "decision": "dismissed", "reason": "x"})
    reply.refresh_from_db()
    assert reply.status == "noted"


@pytest.fixture
def vetoed(unit: Unit, street_staff: User) -> UnitScore:
    """The unit scored by the engine with a price-fraud penalty: vetoed, grade D."""
    checks.penalty_save(
        by=street_staff,
        unit=unit,
        kind="price_fraud",
        decision_no="旅市监罚〔2026〕3号",
        decided_on=timezone.localdate() - dt.timedelta(days=15),
        amount=1000,
    )
    engine.score_units(periods.parse(PERIOD), unit_ids=[unit.pk])
    score = UnitScore.objects.get(unit=unit, period=PERIOD)
    assert (score.grade, score.vetoes) == ("D", ["p_fraud_veto"])
    return score


def test_an_upheld_appeal_records_the_correction_and_rescores_the_unit(
    vetoed: UnitScore, unit: Unit, operator: User, street_staff: User
) -> None:
    own = client_for(operator)
    assert own.post(respond_url(unit), APPEAL).status_code == 302
    appeal = Appeal.objects.get(unit=unit)
    staff = client_for(street_staff)
    form = staff.get(decide_url(appeal)).context["form"]
    assert "p_fraud_veto" in dict(form.fields["indicator"].choices)
    response = staff.post(
        decide_url(appeal),
        {
            "version": appeal.version,
            "decision": "upheld",
            "guarantee": "price",
            "indicator": "p_fraud_veto",
            "points": "0",
            "lift_veto": "on",
            "reason": "处罚决定已被复议撤销。",
        },
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == "upheld"
    correction = ScoreCorrection.objects.get(appeal=appeal)
    assert (correction.guarantee, correction.indicator_code, correction.lift_veto) == (
        "price",
        "p_fraud_veto",
        True,
    )
    rescored = UnitScore.objects.get(unit=unit, period=PERIOD)
    assert rescored.vetoes == []
    assert rescored.grade != "D"
    assert rescored.computed_at > vetoed.computed_at
    assert AuditEvent.objects.filter(action="score.appeal_upheld").get().detail["lift_veto"]
    assert Notification.objects.filter(user=operator, link=score_url(unit)).exists()

    # The operator sees the new grade, the correction among its evidence, and the decision.
    response = own.get(score_url(unit))
    html = response.content.decode()
    assert response.context["score"].grade == rescored.grade
    assert 'data-kind="correction"' in html
    assert f'href="#appeal-{appeal.pk}"' in html
    assert 'data-testid="veto-lifted"' in html
    assert 'data-testid="score-vetoes"' not in html
    assert "处罚决定已被复议撤销。" in html
    # Staff follow the correction to the appeal.
    assert f'href="{decide_url(appeal)}"' in staff.get(score_url(unit)).content.decode()


def test_an_upheld_appeal_can_add_points_to_a_guarantee(
    unit: Unit, operator: User, street_staff: User
) -> None:
    engine.score_units(periods.parse(PERIOD), unit_ids=[unit.pk])
    before = UnitScore.objects.get(unit=unit, period=PERIOD)
    appeal = make_appeal(before, operator, guarantee="rights")
    appeals.appeal_decide(
        appeal=appeal,
        by=street_staff,
        version=appeal.version,
        upheld=True,
        reason="已设立维权服务站，漏记。",
        correction=appeals.Correction(guarantee="rights", points=Decimal("2.0")),
    )
    after = UnitScore.objects.get(unit=unit, period=PERIOD)
    assert after.rights == min(Decimal(20), before.rights + 2)
    assert any(item["kind"] == "correction" for item in after.evidence)


def test_an_upheld_decision_needs_the_correction(pending: Appeal, street_staff: User) -> None:
    response = client_for(street_staff).post(
        decide_url(pending),
        {"version": pending.version, "decision": "upheld", "guarantee": "", "reason": "支持"},
    )
    assert response.status_code == 400
    assert {"guarantee", "points"} <= set(response.context["form"].errors)
    pending.refresh_from_db()
    assert pending.status == "pending"


# --- The list of appeals ------------------------------------------------------------------------


def test_the_appeal_list_shows_pending_appeals_of_the_staffs_scope(
    pending: Appeal,
    other_unit: Unit,
    other_operator: User,
    street_staff: User,
    district_staff: User,
    operator: User,
    desheng: Jurisdiction,
) -> None:
    elsewhere = make_appeal(make_score(other_unit), other_operator)
    decided = make_appeal(make_score(pending.unit, "2026-10"), operator, status="dismissed")

    def listed(user: User, **query: Any) -> set[int]:
        response = client_for(user).get(reverse("appeal-list"), query)
        return {appeal.pk for appeal in response.context["page"].object_list}

    assert listed(district_staff) == {pending.pk, elsewhere.pk}
    assert listed(street_staff) == {pending.pk}
    assert listed(district_staff, status="") == {pending.pk, elsewhere.pk, decided.pk}
    assert listed(district_staff, status="", period="2026-10") == {decided.pk}
    assert listed(district_staff, jurisdiction=desheng.pk) == {elsewhere.pk}
    assert listed(street_staff, jurisdiction=desheng.pk) == {pending.pk}  # not a valid choice
