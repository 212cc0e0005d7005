"""The rubric as versioned data: validation of drafts, activation, the admin pages."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from lyushunkou.models import AuditEvent, User
from scoring.grading import rubric as rubrics
from scoring.models import Indicator, Rubric, UnitScore
from tests.conftest import client_for
from tests.scoring.conftest import ScoringWorld, default_rubric

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(sysadmin: User) -> Rubric:
    return rubrics.copy_as_draft(default_rubric(), sysadmin)


def test_version_2_is_active_by_default_and_version_1_stays_valid_and_retired() -> None:
    assert rubrics.active_rubric().version == 2
    assert Rubric.objects.get(version=1).status == "retired"
    rubric = default_rubric()  # version 1, made active again for the v1 expectations below
    assert rubric.version == 1
    assert rubrics.validate(rubric) == []
    indicators = list(rubric.indicators.all())
    for guarantee in ("quality", "safety", "price", "service", "rights"):
        awards = [i for i in indicators if i.guarantee == guarantee and i.kind == "award"]
        assert sum((i.limit for i in awards), Decimal(0)) == 20
        assert any(i.record_kind == "baseline" for i in awards)
    vetoes = {i.code: i.record_kind for i in indicators if i.kind == "veto"}
    assert vetoes == {
        "q_harm_veto": "safety_incident",
        "s_major_veto": "safety_incident",
        "p_fraud_veto": "penalty",
        "r_dishonest_veto": "dishonest_listing",
    }
    assert rubric.grade_bands == [
        {"grade": "A", "min": 90},
        {"grade": "B", "min": 75},
        {"grade": "C", "min": 60},
        {"grade": "D", "min": 0},
    ]
    assert rubric.caps == [{"below": 12, "cap": "C"}, {"below": 8, "cap": "D"}]


def test_every_record_kind_of_the_brief_is_registered() -> None:
    assert set(rubrics.RECORD_KINDS) == {
        "baseline",
        "sampling_batch",
        "onsite_check",
        "finding",
        "penalty",
        "dishonest_listing",
        "safety_incident",
        "complaint",
        "commitment",
        "station",
        "complaint_rate",
    }


def test_copying_makes_a_new_draft_version_with_the_same_indicators(
    draft: Rubric, sysadmin: User
) -> None:
    original = default_rubric()
    assert (draft.version, draft.status, draft.created_by) == (3, "draft", sysadmin)
    fields = ("code", "label", "guarantee", "kind", "record_kind", "params", "points", "limit")
    assert list(draft.indicators.values_list(*fields)) == list(
        original.indicators.values_list(*fields)
    )
    assert (draft.grade_bands, draft.caps) == (original.grade_bands, original.caps)
    assert AuditEvent.objects.filter(action="rubric.drafted", object_id=str(draft.pk)).exists()


def _indicator(rubric: Rubric, code: str) -> Indicator:
    return rubric.indicators.get(code=code)


def _shorten_an_award(rubric: Rubric) -> None:
    Indicator.objects.filter(rubric=rubric, code="q_purchase_commitment").update(limit=1)


def _overshoot_an_award(rubric: Rubric) -> None:
    Indicator.objects.create(
        rubric=rubric,
        code="p_extra",
        label="extra",
        guarantee="price",
        kind="award",
        record_kind="station",
        points=1,
        limit=2,
    )


def _overlap_bands(rubric: Rubric) -> None:
    rubric.grade_bands = [
        {"grade": "A", "min": 90},
        {"grade": "B", "min": 90},
        {"grade": "C", "min": 60},
        {"grade": "D", "min": 0},
    ]
    rubric.save()


def _gap_below_d(rubric: Rubric) -> None:
    rubric.grade_bands = [
        {"grade": "A", "min": 90},
        {"grade": "B", "min": 75},
        {"grade": "C", "min": 60},
        {"grade": "D", "min": 10},
    ]
    rubric.save()


def _cap_to_unknown_grade(rubric: Rubric) -> None:
    rubric.caps = [{"below": 12, "cap": "E"}]
    rubric.save()


def _unknown_record_kind(rubric: Rubric) -> None:
    Indicator.objects.filter(rubric=rubric, code="s_incident").update(record_kind="weather")


def _bad_parameter_value(rubric: Rubric) -> None:
    Indicator.objects.filter(rubric=rubric, code="q_finding_open").update(
        params={"guarantee": "quality", "rectified": "maybe"}
    )


def _unknown_parameter(rubric: Rubric) -> None:
    Indicator.objects.filter(rubric=rubric, code="r_station").update(params={"colour": "red"})


def _zero_points(rubric: Rubric) -> None:
    Indicator.objects.filter(rubric=rubric, code="p_complaint").update(points=0)


def _negative_floor(rubric: Rubric) -> None:
    Indicator.objects.filter(rubric=rubric, code="se_complaint").update(limit=-6)


BAD_DRAFTS: list[tuple[Callable[[Rubric], None], list[str]]] = [
    (_shorten_an_award, ["Guarantee Quality", "19.0", "exactly 20"]),
    (_overshoot_an_award, ["Guarantee Price", "22", "exactly 20"]),
    (_overlap_bands, ["Grade bands", "A (from 90)", "B (from 90)", "overlap"]),
    (_gap_below_d, ["Grade bands", "below 10", "grade D must start at 0"]),
    (_cap_to_unknown_grade, ["Cap below 12", "unknown grade 'E'"]),
    (_unknown_record_kind, ["Indicator s_incident", "unknown record kind 'weather'"]),
    (_bad_parameter_value, ["Indicator q_finding_open", "parameter rectified", "confirmed"]),
    (_unknown_parameter, ["Indicator r_station", "no parameter 'colour'"]),
    (_zero_points, ["Indicator p_complaint", "points per record must be more than 0"]),
    (_negative_floor, ["Indicator se_complaint", "cap or floor must be more than 0"]),
]


@pytest.mark.parametrize(("spoil", "words"), BAD_DRAFTS, ids=[f.__name__ for f, _ in BAD_DRAFTS])
def test_a_bad_draft_is_refused_with_a_message_naming_the_item(
    draft: Rubric, sysadmin: User, spoil: Callable[[Rubric], None], words: list[str]
) -> None:
    spoil(draft)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        rubrics.activate(draft, sysadmin)
    messages = refused.value.messages
    assert any(all(word in message for word in words) for message in messages), messages
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert rubrics.active_rubric().version == 1


def test_activation_retires_the_old_version_and_old_scores_keep_it(
    scoring_world: ScoringWorld, sysadmin: User
) -> None:
    scoring_world.score()
    draft = rubrics.copy_as_draft(scoring_world.rubric, sysadmin)
    # The new version lowers the quality baseline by one point and gives it to the passes.
    Indicator.objects.filter(rubric=draft, code="q_base").update(points=16, limit=16)
    Indicator.objects.filter(rubric=draft, code="q_sampling_pass").update(limit=2)
    rubrics.activate(draft, sysadmin)

    old = Rubric.objects.get(version=1)
    draft.refresh_from_db()
    assert (old.status, draft.status, draft.activated_by) == ("retired", "active", sysadmin)
    assert rubrics.active_rubric() == draft
    assert AuditEvent.objects.filter(
        action="rubric.activated", object_id=str(draft.pk), detail__retired=[1]
    ).exists()
    september = scoring_world.period.previous()
    from scoring.grading import engine

    engine.score_units(september, today=scoring_world.today)
    assert set(UnitScore.objects.filter(period="2026-10").values_list("rubric", flat=True)) == {
        old.pk
    }
    assert set(UnitScore.objects.filter(period="2026-09").values_list("rubric", flat=True)) == {
        draft.pk
    }
    # bare under v2: quality 16 with no sampling in September's window → 80.
    bare = UnitScore.objects.get(period="2026-09", unit=scoring_world.units["bare"])
    assert (bare.quality, bare.total) == (Decimal(16), Decimal(80))


def test_rescoring_some_units_keeps_the_rubric_the_period_was_scored_with(
    scoring_world: ScoringWorld, sysadmin: User
) -> None:
    scoring_world.score()
    draft = rubrics.copy_as_draft(scoring_world.rubric, sysadmin)
    rubrics.activate(draft, sysadmin)
    scoring_world.score(unit_ids=[scoring_world.units["bare"].pk])
    assert set(UnitScore.objects.filter(period="2026-10").values_list("rubric", flat=True)) == {
        scoring_world.rubric.pk
    }
    scoring_world.score()  # a full run takes the active version
    assert set(UnitScore.objects.filter(period="2026-10").values_list("rubric", flat=True)) == {
        draft.pk
    }


def test_only_a_draft_can_be_activated(sysadmin: User) -> None:
    with translation.override("en"), pytest.raises(ValidationError, match="not a draft"):
        rubrics.activate(default_rubric(), sysadmin)


def test_month_arithmetic_of_the_window() -> None:
    import datetime as dt

    assert rubrics.months_before(dt.date(2026, 10, 31), 12) == dt.date(2025, 10, 31)
    assert rubrics.months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert rubrics.months_before(dt.date(2026, 1, 15), 13) == dt.date(2024, 12, 15)


# --- Admin -------------------------------------------------------------------------------------


def _action(client: Any, action: str, rubric: Rubric) -> Any:
    return client.post(
        reverse("admin:scoring_rubric_changelist"),
        {"action": action, "_selected_action": [rubric.pk]},
        follow=True,
    )


def test_the_system_administrator_copies_and_activates_in_the_admin(sysadmin: User) -> None:
    client = client_for(sysadmin)
    assert client.get(reverse("admin:scoring_rubric_changelist")).status_code == 200
    with translation.override("en"):
        _action(client, "copy_as_new_draft", default_rubric())
        draft = Rubric.objects.get(version=3)
        page = client.get(reverse("admin:scoring_rubric_change", args=[draft.pk]))
        assert b'data-testid="rubric-valid"' in page.content
        asked = _action(client, "activate", draft)
        assert b'data-testid="activation-confirmation"' in asked.content
        draft.refresh_from_db()
        assert draft.status == "draft"  # not before the administrator confirms
        response = client.post(
            reverse("admin:scoring_rubric_changelist"),
            {"action": "activate", "_selected_action": [draft.pk], "confirmed": "yes"},
            follow=True,
        )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == "active"


def test_the_admin_shows_why_a_draft_cannot_be_activated(draft: Rubric, sysadmin: User) -> None:
    _shorten_an_award(draft)
    client = client_for(sysadmin)
    with translation.override("en"):
        page = client.get(reverse("admin:scoring_rubric_change", args=[draft.pk]))
        response = _action(client, "activate", draft)
    assert b'data-testid="rubric-problems"' in page.content
    assert b"19.0" in page.content
    shown = [str(message) for message in response.context["messages"]]
    assert any("19.0" in message for message in shown), shown
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_active_and_retired_versions_are_read_only_in_the_admin(sysadmin: User) -> None:
    client = client_for(sysadmin)
    rubric = default_rubric()
    url = reverse("admin:scoring_rubric_change", args=[rubric.pk])
    assert client.get(url).status_code == 200  # viewable
    client.post(url, {"name": "改名", "lookback_months": 1})
    rubric.refresh_from_db()
    assert (rubric.name, rubric.lookback_months) != ("改名", 1)


def test_staff_cannot_reach_the_rubric_admin(district_staff: User, auditor: User) -> None:
    url = reverse("admin:scoring_rubric_changelist")
    assert client_for(district_staff).get(url).status_code == 302  # to the admin login
    assert client_for(auditor).get(url).status_code == 403
