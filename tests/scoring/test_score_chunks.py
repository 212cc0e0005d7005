"""Scoring in chunks (issue 17 items 4–5): the same scores and summaries whatever the chunk size,
chunks that cover each operating unit once, retried chunks that change nothing, and the Celery
chord (run eagerly here) that gives what the inline run gives."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lyushunkou.models import Notification
from scoring import periods
from scoring.grading import engine
from scoring.grading.chunks import Chunk, plan_chunks
from scoring.grading.run import Run, score_chunk, start_run
from scoring.grading.tasks import score_in_workers
from scoring.models import GradeSummary, ScoreCorrection, UnitScore
from scoring.tasks import score_current_month
from tests.scoring.conftest import ScoringWorld, make_demonstration
from units.models import DemonstrationStatus, Unit
from units.models_standard import StandardCriterion

pytestmark = pytest.mark.django_db

SCORE_FIELDS = (
    "unit_id",
    "period",
    "as_of",
    "rubric_id",
    "jurisdiction_id",
    "demonstration",
    "quality",
    "safety",
    "price",
    "service",
    "rights",
    "total",
    "raw_grade",
    "grade",
    "capped_by",
    "vetoes",
    "unevidenced",
    "evidence",
)
SUMMARY_FIELDS = ("period", "jurisdiction_id", "demonstration", "grade", "units", "vetoed")


def stored() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    scores = list(UnitScore.objects.order_by("period", "unit_id").values_list(*SCORE_FIELDS))
    summaries = list(
        GradeSummary.objects.order_by(
            "period", "jurisdiction_id", "demonstration", "grade"
        ).values_list(*SUMMARY_FIELDS)
    )
    return scores, summaries


def comparable(summary: dict[str, Any]) -> dict[str, Any]:
    """A run's summary without what depends on the clock or the chunking."""
    return {k: v for k, v in summary.items() if k not in {"seconds", "timings", "chunks"}}


def wipe() -> None:
    UnitScore.objects.all().delete()
    GradeSummary.objects.all().delete()
    Notification.objects.all().delete()


def score_twice(world: ScoringWorld) -> dict[str, Any]:
    """September then October, so that October's run tells the operators whose grade moved."""
    engine.score_units(world.period.previous(), today=world.today)
    return world.score()


@pytest.fixture
def varied_world(scoring_world: ScoringWorld, district_staff: Any) -> ScoringWorld:
    """The hand-checked world with a correction, scored for September first, so that grade
    changes and corrections have something to do (demonstration status: its own test, since it
    moves units and a second run would start from another state)."""
    ScoreCorrection.objects.create(
        unit=scoring_world.units["capped"],
        period=scoring_world.period.key,
        guarantee="quality",
        indicator_code="q_sampling_fail",
        points=Decimal("-4"),
        reason="复核",
        created_by=district_staff,
    )
    return scoring_world


def test_chunks_of_two_units_give_the_scores_and_summaries_of_one_chunk(
    varied_world: ScoringWorld, settings: Any
) -> None:
    settings.SCORING_CHUNK_SIZE = 1000
    whole = score_twice(varied_world)
    whole_rows = stored()
    whole_notes = sorted(Notification.objects.values_list("user_id", "message"))
    assert whole["chunks"] == 1

    wipe()
    settings.SCORING_CHUNK_SIZE = 2
    chunked = score_twice(varied_world)
    assert chunked["chunks"] == 5  # 10 operating units
    assert comparable(chunked) == comparable(whole)
    assert stored() == whole_rows
    assert sorted(Notification.objects.values_list("user_id", "message")) == whole_notes


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_on_postgresql_the_scores_are_copied_and_store_what_inserts_stored(
    varied_world: ScoringWorld,
) -> None:
    with mock.patch("lyushunkou.copying.USE_COPY", False):  # bulk_create's INSERTs
        inserted = score_twice(varied_world)
    inserted_rows = stored()

    wipe()
    with CaptureQueriesContext(connection) as queries:
        copied = score_twice(varied_world)

    assert comparable(copied) == comparable(inserted)
    assert stored() == inserted_rows
    statements = [q["sql"] for q in queries.captured_queries]
    assert not [sql for sql in statements if sql.startswith('INSERT INTO "scoring_unitscore"')]


def test_demonstration_status_follows_the_grades_chunk_by_chunk(
    scoring_world: ScoringWorld, settings: Any
) -> None:
    StandardCriterion.objects.exclude(rule="grade").update(active=False)  # the grade alone
    settings.SCORING_CHUNK_SIZE = 2
    capped = make_demonstration(scoring_world.units["capped"])  # grade C
    summary = scoring_world.score()
    assert (summary["warned"], summary["chunks"]) == (1, 5)
    capped.refresh_from_db()
    assert capped.demonstration_status == DemonstrationStatus.WARNING


def test_the_chunks_cover_each_operating_unit_once_in_id_order(
    scoring_world: ScoringWorld,
) -> None:
    chunks = plan_chunks(size=3)
    assert [chunk.units().count() for chunk in chunks] == [3, 3, 3, 1]
    covered = [
        pk for chunk in chunks for pk in chunk.units().order_by("pk").values_list("pk", flat=True)
    ]
    operating = Unit.objects.filter(business_status="operating").values_list("pk", flat=True)
    assert covered == sorted(operating)
    assert all(a.last < b.first for a, b in itertools.pairwise(chunks))


def test_a_run_over_named_units_grades_only_those_even_inside_one_id_range(
    scoring_world: ScoringWorld,
) -> None:
    scoring_world.score()
    first, last = scoring_world.units["clean"], scoring_world.units["harmed"]
    before = dict(UnitScore.objects.values_list("unit_id", "computed_at"))
    summary = scoring_world.score(unit_ids=[first.pk, last.pk])
    assert summary["units"] == 2
    after = dict(UnitScore.objects.values_list("unit_id", "computed_at"))
    moved = {pk for pk in after if after[pk] != before[pk]}
    assert moved == {first.pk, last.pk}


def test_a_retried_chunk_writes_the_same_rows_and_tells_nobody_twice(
    varied_world: ScoringWorld,
) -> None:
    engine.score_units(varied_world.period.previous(), today=varied_world.today)
    run = start_run(varied_world.period, today=varied_world.today)
    chunks = plan_chunks(size=1000)
    results = [score_chunk(run, chunk) for chunk in chunks]
    once = stored()[0]
    notes = Notification.objects.count()
    assert notes > 0  # October's grades differ from September's for some operators
    again = score_chunk(run, chunks[0])  # a worker lost after the commit: the task runs again
    assert stored()[0] == once
    assert Notification.objects.count() == notes
    assert again["by_grade"] == results[0]["by_grade"]


def test_the_finish_drops_the_scores_of_units_that_stopped_operating(
    scoring_world: ScoringWorld,
) -> None:
    scoring_world.score()
    bare = scoring_world.units["bare"]
    Unit.objects.filter(pk=bare.pk).update(business_status="deregistered")
    summary = scoring_world.score()
    assert summary["units"] == 9
    assert not UnitScore.objects.filter(unit=bare).exists()
    assert sum(GradeSummary.objects.values_list("units", flat=True)) == 9


def test_the_chord_gives_what_the_inline_run_gives(
    varied_world: ScoringWorld, settings: Any
) -> None:
    settings.SCORING_CHUNK_SIZE = 3
    engine.score_units(varied_world.period.previous(), today=varied_world.today)
    inline = varied_world.score()
    inline_rows = stored()

    UnitScore.objects.filter(period=varied_world.period.key).delete()
    GradeSummary.objects.filter(period=varied_world.period.key).delete()
    run = start_run(varied_world.period, today=varied_world.today)
    chorded = score_in_workers(run).get()
    assert chorded["chunks"] == 4  # 10 units, 3 at a time
    assert comparable(chorded) == comparable(inline)
    assert stored() == inline_rows


def test_a_run_serialises_to_json_and_back() -> None:
    run = Run(
        period="2026-10",
        as_of=periods.parse("2026-10").as_of(None),
        rubric_id=3,
        computed_at=timezone.now(),
        tell_operators=False,
        scope=(4, 7),
    )
    assert Run.from_json(run.to_json()) == run
    chunk = Chunk(10, 40, (10, 12, 40))
    assert Chunk.from_json(chunk.to_json()) == chunk


def test_the_nightly_job_with_workers_becomes_the_runs_chord(scoring_world: ScoringWorld) -> None:
    # Eagerly a chord cannot run inside a task (Celery refuses to wait for sub-tasks there), so
    # this checks what the job hands to Celery; running that chord is the test above.
    with (
        mock.patch("scoring.grading.tasks.workers_share_scoring", return_value=True),
        mock.patch("scoring.periods.timezone.localdate", return_value=dt.date(2026, 10, 20)),
        mock.patch.object(score_current_month, "replace", return_value={"done": 1}) as replace,
    ):
        assert score_current_month.delay().get() == {"done": 1}
    (signature,), _ = replace.call_args
    assert signature["task"] == "celery.chord"
    body, header = signature.body, signature.tasks
    assert body["task"] == "scoring.tasks.finish_scoring"
    assert body["kwargs"] == {"refresh_targets": True}
    assert body["args"][0]["period"] == "2026-10"
    assert [task["task"] for task in header] == ["scoring.tasks.score_chunk"]  # 10 units
    assert not UnitScore.objects.exists()  # nothing graded in the job itself


def test_the_command_grades_here_with_inline(scoring_world: ScoringWorld) -> None:
    out = io.StringIO()
    with (
        mock.patch("scoring.management.commands.score_units.score_in_workers") as workers,
        mock.patch(
            "scoring.management.commands.score_units.workers_share_scoring", return_value=True
        ),
    ):
        call_command("score_units", "--period", "2026-10", "--inline", stdout=out)
    workers.assert_not_called()
    assert "Scored 10 units for 2026-10" in out.getvalue()
    assert "1 chunk graded here." in out.getvalue()
    assert "Time in the chunks: read " in out.getvalue()
