"""``manage.py sampling_proposals``: the done-when fixtures of issue 19 item 1, and bad input."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from lyushunkou.models import Jurisdiction
from supervision.models import SamplingProposal
from tests.conftest import DENGFENG, DESHENG
from tests.supervision.helpers import add_complaints, add_units, streets

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
THIS_YEAR, LAST_YEAR = dt.date(2026, 10, 12), dt.date(2025, 10, 14)


def run(*args: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("sampling_proposals", *args, stdout=out)
    return out.getvalue()


def proposals(*args: str) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = json.loads(run("--period", "2026-10", "--json", *args))[
        "proposals"
    ]
    return result


def flat_district(quality: int = 2, price: int = 2) -> dict[str, list[Any]]:
    """Every street: 20 retail units, the same complaints in October 2025 and October 2026."""
    units = {}
    for street in streets():
        units[street.code] = add_units(street, 20)
        for day in (LAST_YEAR, THIS_YEAR):
            add_complaints(street, quality, on=day, category="quality", units=units[street.code])
            add_complaints(street, price, on=day, category="price")
    return units


def test_a_category_jumping_from_2_to_15_in_one_street_ranks_first() -> None:
    units = flat_district()
    dengfeng = Jurisdiction.objects.get(code=DENGFENG)
    # 13 more quality complaints in 登峰: 15 against 2 a year earlier, everything else flat.
    add_complaints(dengfeng, 13, on=THIS_YEAR, category="quality", units=units[DENGFENG])

    ranked = proposals()

    assert ranked[0]["rank"] == 1
    assert (ranked[0]["category"], ranked[0]["jurisdiction"]) == ("quality", DENGFENG)
    assert ranked[0]["complaints"] == 15
    # max(last year 2, the other streets' 20 quality complaints × 20/200 units = 2.0) = 2.
    assert ranked[0]["expected"] == 2.0
    assert ranked[0]["score"] == pytest.approx(8.41, abs=0.01)


def test_the_json_names_the_units_to_visit_most_complaints_first() -> None:
    units = flat_district()
    dengfeng = Jurisdiction.objects.get(code=DENGFENG)
    worst = units[DENGFENG][5]
    add_complaints(dengfeng, 2, on=THIS_YEAR, category="quality", unit=worst)
    add_complaints(dengfeng, 11, on=THIS_YEAR, category="quality")  # naming no unit

    first = proposals()[0]

    assert set(first) >= {
        "rank",
        "category",
        "jurisdiction",
        "units",
        "complaints",
        "expected",
        "score",
    }
    assert first["units"][0] == worst.credit_code
    assert len(first["units"]) == 3  # the two flat complaints named units 0 and 1
    assert all(isinstance(code, str) and len(code) == 18 for code in first["units"])


def test_a_flat_district_yields_no_proposal() -> None:
    flat_district(quality=5, price=4)

    result = json.loads(run("--period", "2026-10", "--json"))

    assert result["proposals"] == []
    assert result["clusters_tested"]["street"] == 22  # tested, and nothing stood out
    assert "stands out" in result["message"]


def test_district_as_the_jurisdiction_means_the_whole_district() -> None:
    flat_district(quality=5, price=4)

    whole = json.loads(run("--period", "2026-10", "--json"))
    named = json.loads(run("--period", "2026-10", "--jurisdiction", "district", "--json"))

    assert named["clusters_tested"] == whole["clusters_tested"]
    assert named["message"] == whole["message"]


def test_fewer_than_three_complaints_yield_no_proposal_and_say_so() -> None:
    dengfeng = Jurisdiction.objects.get(code=DENGFENG)
    add_units(dengfeng, 5)
    add_complaints(dengfeng, 2, on=THIS_YEAR, category="safety")  # none a year earlier

    result = json.loads(run("--period", "2026-10", "--json"))

    assert result["proposals"] == []
    assert "Too little data" in result["message"]
    assert "Too little data" in run("--period", "2026-10")


def test_refused_complaints_do_not_count() -> None:
    flat_district()
    dengfeng = Jurisdiction.objects.get(code=DENGFENG)
    add_complaints(dengfeng, 13, on=THIS_YEAR, category="quality", status="refused")

    assert proposals() == []


def test_a_unit_drawing_many_complaints_is_a_proposal_of_its_own() -> None:
    units = flat_district()
    desheng = Jurisdiction.objects.get(code=DESHENG)
    shop = units[DESHENG][1]  # also named by one of the flat quality complaints
    add_complaints(desheng, 6, on=THIS_YEAR, category="price", unit=shop)
    add_complaints(desheng, 4, on=THIS_YEAR, category="quality", unit=shop)

    by_kind = {row["kind"]: row for row in proposals()}

    assert by_kind["unit"]["units"] == [shop.credit_code]
    assert by_kind["unit"]["complaints"] == 11  # one of the flat quality complaints too
    assert by_kind["unit"]["category"] == "price"  # its most frequent category
    assert by_kind["unit"]["jurisdiction"] == DESHENG


def test_one_jurisdiction_narrows_the_list_without_changing_the_scores() -> None:
    units = flat_district()
    for code, extra in ((DENGFENG, 13), (DESHENG, 10)):
        street = Jurisdiction.objects.get(code=code)
        add_complaints(street, extra, on=THIS_YEAR, category="quality", units=units[code])

    everywhere = {row["jurisdiction"]: row for row in proposals()}
    desheng_only = proposals("--jurisdiction", DESHENG)

    assert set(everywhere) == {DENGFENG, DESHENG}
    assert [row["jurisdiction"] for row in desheng_only] == [DESHENG]
    assert desheng_only[0]["rank"] == 1
    assert desheng_only[0]["score"] == everywhere[DESHENG]["score"]


def test_the_table_lists_the_proposals() -> None:
    units = flat_district()
    dengfeng = Jurisdiction.objects.get(code=DENGFENG)
    add_complaints(dengfeng, 13, on=THIS_YEAR, category="quality", units=units[DENGFENG])

    table = run("--period", "2026-10")

    assert "登峰街道" in table
    assert "8.41" in table


def test_nothing_is_stored_without_store_and_store_saves_the_proposals() -> None:
    units = flat_district()
    dengfeng = Jurisdiction.objects.get(code=DENGFENG)
    add_complaints(dengfeng, 13, on=THIS_YEAR, category="quality", units=units[DENGFENG])

    run("--period", "2026-10", "--json")
    assert not SamplingProposal.objects.exists()

    run("--period", "2026-10", "--store")
    stored = SamplingProposal.objects.get()
    assert (stored.period, stored.category, stored.jurisdiction.code) == (
        "2026-10",
        "quality",
        DENGFENG,
    )
    assert stored.complaints.count() == 15


@pytest.mark.parametrize("period", ["2026-13", "26", "2026-Q5", "2026/10", ""])
def test_a_malformed_period_is_refused_in_one_line(period: str) -> None:
    with pytest.raises(CommandError, match="period") as refused:
        run("--period", period)
    assert "\n" not in str(refused.value)


def test_an_unknown_jurisdiction_is_refused_in_one_line() -> None:
    with pytest.raises(CommandError, match="999999999999") as refused:
        run("--period", "2026-10", "--jurisdiction", "999999999999")
    assert "\n" not in str(refused.value)


def test_a_malformed_period_exits_1_with_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "sampling_proposals", "--period", "2026-13", "--json"],
        cwd=ROOT,
        env={"DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "2026-13" in lines[0]
