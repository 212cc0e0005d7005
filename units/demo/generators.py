"""Pure generators of plausible register data (people, phones, public ids, unit names,
addresses), each drawing from the ``rng`` it is given alone.

The demo seeders (``units.demo``, ``complaints.demo``) and the test factories (``tests.factories``)
share them, so test data looks like the demo's. A seeder's stream of draws is part of its output:
changing what a generator draws changes every seeded name after it.
"""

from __future__ import annotations

import random

from units.demo.data import (
    BRAND_WORDS,
    COMPANY_KINDS,
    GIVEN_NAMES,
    MOBILE_PREFIXES,
    PUBLIC_ID_ALPHABET,
    SHOP_SUFFIXES,
    SURNAME_WEIGHTS,
    SURNAMES,
)


def person(rng: random.Random) -> str:
    """A Chinese full name, surnames weighted as in Dalian."""
    return rng.choices(SURNAMES, SURNAME_WEIGHTS)[0] + rng.choice(GIVEN_NAMES)


def phone(rng: random.Random, *, mobile_share: float = 0.85) -> str:
    """A mobile number, or (1 - ``mobile_share`` of the time) a Lyushunkou landline."""
    if rng.random() < mobile_share:
        return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"
    return f"0411-86{rng.randrange(1_000_000):06d}"  # Lyushunkou's landlines start 86


def public_id(rng: random.Random) -> str:
    return "".join(rng.choices(PUBLIC_ID_ALPHABET, k=12))


def unit_name(rng: random.Random, entity_type: str, industry: str, road: str, line: str) -> str:
    """A unit's name as its entity type (the credit code's second character) would have it:
    a cooperative names its ``line`` of business, a company its kind, a shop its trade."""
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


def address(rng: random.Random, place_name: str, road: str) -> str:
    """A street address on ``road`` in the jurisdiction named ``place_name``."""
    return f"辽宁省大连市旅顺口区{place_name}{road}{rng.randint(1, 399)}号"
