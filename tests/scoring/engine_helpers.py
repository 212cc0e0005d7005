"""Plain helpers of the scoring engine's tests (tests/scoring/test_engine*.py): a unit's score in
the hand-checked world, the entries of its evidence, and a correction."""

from __future__ import annotations

from typing import Any

from lyushunkou.models import User
from scoring.models import ScoreCorrection, UnitScore
from tests.scoring.conftest import (
    ScoringWorld,
)


def score_of(world: ScoringWorld, name: str) -> UnitScore:
    return UnitScore.objects.get(unit=world.units[name], period=world.period.key)


def entry(score: UnitScore, code: str) -> dict[str, Any]:
    matches: list[dict[str, Any]] = [
        item
        for item in score.evidence
        if item["indicator"] == code and item["kind"] != "correction"
    ]
    assert len(matches) == 1, f"{code}: {matches}"
    return matches[0]


def codes(score: UnitScore) -> list[str]:
    return [item["indicator"] for item in score.evidence]


def record_ids(item: dict[str, Any]) -> set[int]:
    return {record["id"] for record in item["records"]}


def correct(world: ScoringWorld, name: str, by: User, **fields: Any) -> ScoreCorrection:
    return ScoreCorrection.objects.create(
        unit=world.units[name], period=world.period.key, created_by=by, **fields
    )
