"""Which units a complaint or sampling batch recorded without one probably names (issue 19 item 4).

A pure function of the record's respondent (name, credit code, address) and the candidate units:
the same credit code wins outright; then the same normalised name, or one name containing the
other; then a shared start of the normalised address (the road and number). No database here:
``supervision.selectors_links`` gathers the candidates in one query.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from lyushunkou.credit_codes import normalize_credit_code
from supervision.identity import MIN_ADDRESS_LENGTH, normalise_address

# The credit code alone outscores everything else together (name 40 + address 20).
CODE_SCORE = 100
NAME_EQUAL_SCORE = 40
NAME_CONTAINS_SCORE = 25
ADDRESS_SCORE = 20
MIN_NAME_LENGTH = 2  # "某店" is a name; "店" is not
LIMIT = 3

# Written before many names and saying nothing about which shop it is.
_NAME_PREFIXES = ("辽宁省", "大连市", "大连", "旅顺口区", "旅顺口", "旅顺")


@dataclass(frozen=True)
class Respondent:
    """What the record says about the unit it concerns."""

    name: str
    credit_code: str = ""
    address: str = ""


@dataclass(frozen=True)
class Candidate:
    pk: int
    name: str
    credit_code: str
    address: str


@dataclass(frozen=True)
class Suggestion:
    unit_pk: int
    score: int
    reasons: tuple[str, ...]  # "credit_code", "name_equal", "name_contains", "address"


def normalise_unit_name(name: str) -> str:
    """Full-width and half-width alike, no spaces, brackets or punctuation, without the province,
    city or district in front: "大连市 登峰海鲜馆（长城路店）" → "登峰海鲜馆长城路店"."""
    text = "".join(
        ch for ch in unicodedata.normalize("NFKC", name or "").casefold() if ch.isalnum()
    )
    changed = True
    while changed:
        changed = False
        for prefix in _NAME_PREFIXES:
            if text.startswith(prefix) and len(text) > len(prefix):
                text, changed = text[len(prefix) :], True
    return text if len(text) >= MIN_NAME_LENGTH else ""


def shared_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def score(respondent: Respondent, unit: Candidate) -> Suggestion | None:
    """How well ``unit`` fits ``respondent``, or None when nothing points to it."""
    points, reasons = 0, []
    code = normalize_credit_code(respondent.credit_code)
    if code and code == normalize_credit_code(unit.credit_code):
        points += CODE_SCORE
        reasons.append("credit_code")
    mine, theirs = normalise_unit_name(respondent.name), normalise_unit_name(unit.name)
    if mine and theirs:
        if mine == theirs:
            points += NAME_EQUAL_SCORE
            reasons.append("name_equal")
        elif mine in theirs or theirs in mine:
            points += NAME_CONTAINS_SCORE
            reasons.append("name_contains")
    here, there = normalise_address(respondent.address), normalise_address(unit.address)
    if here and there:
        shared = shared_prefix(here, there)
        if shared >= MIN_ADDRESS_LENGTH:
            points += round(ADDRESS_SCORE * shared / max(len(here), len(there)))
            reasons.append("address")
    return Suggestion(unit.pk, points, tuple(reasons)) if reasons else None


def suggest(
    respondent: Respondent, candidates: Iterable[Candidate], *, limit: int = LIMIT
) -> list[Suggestion]:
    """Up to ``limit`` units, best first; equal scores in the order of the units' ids."""
    found = [s for s in (score(respondent, c) for c in candidates) if s is not None]
    found.sort(key=lambda s: (-s.score, s.unit_pk))
    return found[:limit]
