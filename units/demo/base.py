"""The units planner's state and its small generators (people, phones, public ids, credit codes,
names, moments), all drawing from ``rng`` alone."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from django.utils import timezone

from lyushunkou.credit_codes import generate_credit_code
from units.demo.data import (
    APPLICATION_RATE,
    BRAND_WORDS,
    COMPANY_KINDS,
    DEFAULT_JURISDICTION_WEIGHT,
    DENGFENG,
    GIVEN_NAMES,
    INDUSTRY_WEIGHTS,
    JURISDICTION_WEIGHTS,
    MIN_APPLICATIONS,
    MOBILE_PREFIXES,
    PUBLIC_ID_ALPHABET,
    SHOP_SUFFIXES,
    SURNAME_WEIGHTS,
    SURNAMES,
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
        rng = self.rng
        return rng.choices(SURNAMES, SURNAME_WEIGHTS)[0] + rng.choice(GIVEN_NAMES)

    def phone(self, *, mobile_share: float = 0.85) -> str:
        rng = self.rng
        if rng.random() < mobile_share:
            return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"
        return f"0411-86{rng.randrange(1_000_000):06d}"  # Lyushunkou's landlines start 86

    def public_id(self) -> str:
        return "".join(self.rng.choices(PUBLIC_ID_ALPHABET, k=12))

    def credit_code(self, entity_type: str) -> str:
        while True:
            code = generate_credit_code(self.rng, entity_type=entity_type)
            if code not in self.codes:  # ~1 collision in 3·10⁹ pairs: rare, but not at 5 M
                self.codes.add(code)
                return code

    def name(self, entity_type: str, industry: str, road: str, line: str) -> str:
        rng = self.rng
        word = rng.choice(BRAND_WORDS)
        if entity_type == "3":
            return f"旅顺口区{word}{line}专业合作社"
        if entity_type == "1":
            company = f"大连{word}{rng.choice(COMPANY_KINDS[industry])}有限公司"
            return company if rng.random() < 0.7 else f"{company}旅顺{road}分店"
        suffix = rng.choice(SHOP_SUFFIXES[industry])
        pattern = rng.random()
        if pattern < 0.5:
            return f"{word}{suffix}"
        if pattern < 0.75:
            return f"旅顺口区{word}{suffix}"
        if pattern < 0.85:
            return f"{rng.choice(SURNAMES)}记{suffix}"
        return f"{word}{suffix}（{road}店）"

    def at(self, day: dt.date) -> dt.datetime:
        """A moment during office hours on ``day``."""
        rng = self.rng
        return dt.datetime.combine(
            day, dt.time(rng.randrange(8, 17), rng.randrange(60), rng.randrange(60)), self.tz
        )
