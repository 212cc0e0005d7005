"""The units planner's state and its small generators (people, phones, public ids, credit codes,
names, moments), all drawing from ``rng`` alone; the pure ones live in ``units.demo.generators``,
which the test factories share."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from django.utils import timezone

from lyushunkou.credit_codes import generate_credit_code
from units.demo import generators
from units.demo.data import (
    APPLICATION_RATE,
    DEFAULT_JURISDICTION_WEIGHT,
    DENGFENG,
    INDUSTRY_WEIGHTS,
    JURISDICTION_WEIGHTS,
    MIN_APPLICATIONS,
)
from units.demo.records import Place
from units.models import Industry


class PlannerBase:
    """What every part of the planner shares: its inputs, counters and generators.

    The first four units are the showcase (``SHOWCASE``): see ``UnitPlanner``.
    """

    SHOWCASE = ("approved", "draft", "submitted", None)
    SHOWCASE_OWNERS = ("operator", "operator", "operator2", "operator2")
    SHOWCASE_INDUSTRIES = (Industry.CATERING, Industry.RETAIL, Industry.CATERING, Industry.RETAIL)

    def __init__(
        self,
        rng: random.Random,
        *,
        count: int,
        places: Sequence[Place],
        today: dt.date,
        blocks: dict[int, list[int]] | None = None,
        taken_codes: set[str] | None = None,
        certificate_counters: dict[int, int] | None = None,
    ) -> None:
        self.rng = rng
        self.count = count
        self.places = list(places)
        self.place_weights = [
            JURISDICTION_WEIGHTS.get(place.code, DEFAULT_JURISDICTION_WEIGHT)
            for place in self.places
        ]
        self.dengfeng = next((p for p in self.places if p.code == DENGFENG), self.places[0])
        self.today = today
        self.blocks = blocks or {}
        self.codes = set(taken_codes or ())
        self.certificate_counters = dict(certificate_counters or {})
        self.application_rate = min(1.0, max(APPLICATION_RATE, MIN_APPLICATIONS / max(count, 1)))
        self.applications_planned = 0
        self.onsite_planned = 0  # on-site check outcomes so far: every second one is in notice
        self.tz = timezone.get_default_timezone()
        self.industries = list(INDUSTRY_WEIGHTS)
        self.industry_weights = list(INDUSTRY_WEIGHTS.values())
        self.coverage_end = len(self.SHOWCASE) + max(len(self.places), len(self.industries))

    # --- small generators -------------------------------------------------------------------

    def person(self) -> str:
        return generators.person(self.rng)

    def phone(self, *, mobile_share: float = 0.85) -> str:
        return generators.phone(self.rng, mobile_share=mobile_share)

    def public_id(self) -> str:
        return generators.public_id(self.rng)

    def credit_code(self, entity_type: str) -> str:
        while True:
            code = generate_credit_code(self.rng, entity_type=entity_type)
            if code not in self.codes:  # ~1 collision in 3·10⁹ pairs: rare, but not at 5 M
                self.codes.add(code)
                return code

    def name(self, entity_type: str, industry: str, road: str, line: str) -> str:
        return generators.unit_name(self.rng, entity_type, industry, road, line)

    def at(self, day: dt.date) -> dt.datetime:
        """A moment during office hours on ``day``."""
        rng = self.rng
        return dt.datetime.combine(
            day, dt.time(rng.randrange(8, 17), rng.randrange(60), rng.randrange(60)), self.tz
        )
