"""The records staff may link to a unit and the candidate units, for /supervision/links/.

Candidates come in one query whatever the number of records: the units in the staff member's
scope with a record's credit code, a name equal to, containing or contained in a record's name
(the latter as the record name's substrings), or an address holding the start of a record's
normalised address. ``supervision.link_suggestions`` then scores them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from complaints.access import complaints_for_user
from complaints.models import Complaint
from inspections.access import batches_for_user
from inspections.models import SamplingBatch
from lyushunkou.credit_codes import normalize_credit_code
from lyushunkou.models import User
from supervision.identity import MIN_ADDRESS_LENGTH, normalise_address
from supervision.link_suggestions import (
    Candidate,
    Respondent,
    Suggestion,
    normalise_unit_name,
    suggest,
)
from units.access import units_for_user
from units.models import Unit

MIN_CONTAINED = 4  # a shorter piece of a name ("海鲜") would match half the district
MAX_NAME = 16  # substrings of the first 16 characters: at most 91 a name

COMPLAINT = "complaint"
BATCH = "batch"


def unlinked_complaints(user: User) -> QuerySet[Complaint]:
    return (
        complaints_for_user(user)
        .select_related(None)
        .select_related("jurisdiction")
        .filter(unit__isnull=True)
        .only(
            "pk",
            "record_no",
            "kind",
            "received_at",
            "respondent_name",
            "respondent_credit_code",
            "respondent_address",
            "jurisdiction__name",
            "version",
        )
        .order_by("-received_at", "-pk")
    )


def unlinked_batches(user: User) -> QuerySet[SamplingBatch]:
    return (
        batches_for_user(user)
        .select_related(None)
        .select_related("jurisdiction")
        .filter(unit__isnull=True)
        .only(
            "pk",
            "sample_no",
            "sampled_on",
            "product_name",
            "sampled_unit_name",
            "sampled_unit_credit_code",
            "sampled_unit_address",
            "jurisdiction__name",
            "version",
        )
        .order_by("-sampled_on", "-pk")
    )


def respondent_of(record: Complaint | SamplingBatch) -> Respondent:
    if isinstance(record, Complaint):
        return Respondent(
            record.respondent_name, record.respondent_credit_code, record.respondent_address
        )
    return Respondent(
        record.sampled_unit_name, record.sampled_unit_credit_code, record.sampled_unit_address
    )


def _pieces(name: str) -> set[str]:
    text = name[:MAX_NAME]
    return {text[i:j] for i in range(len(text)) for j in range(i + MIN_CONTAINED, len(text) + 1)}


def _lookup(respondents: Sequence[Respondent]) -> Q | None:
    codes, names, terms = set(), set(), []
    for r in respondents:
        if code := normalize_credit_code(r.credit_code):
            codes.add(code)
        if name := normalise_unit_name(r.name):
            names.add(name)
            names |= _pieces(name)
            terms.append(Q(name__icontains=name))
        if address := normalise_address(r.address):
            terms.append(Q(address__icontains=address[:MIN_ADDRESS_LENGTH]))
    if codes:
        terms.append(Q(credit_code__in=sorted(codes)))
    if names:
        terms.append(Q(name__in=sorted(names)))
    return reduce(or_, terms) if terms else None


@dataclass
class LinkRow:
    kind: str
    record: Complaint | SamplingBatch
    respondent: Respondent
    suggestions: list[tuple[Suggestion, Unit]] = field(default_factory=list)


def link_rows(
    user: User, complaints: Sequence[Complaint], batches: Sequence[SamplingBatch]
) -> tuple[list[LinkRow], list[LinkRow]]:
    """The page's rows with up to three suggested units each (one query for all candidates)."""
    rows = [LinkRow(COMPLAINT, c, respondent_of(c)) for c in complaints] + [
        LinkRow(BATCH, b, respondent_of(b)) for b in batches
    ]
    lookup = _lookup([row.respondent for row in rows])
    units: dict[int, Unit] = {}
    if lookup is not None:
        units = {
            u.pk: u
            for u in units_for_user(user)
            .select_related(None)
            .select_related("jurisdiction")
            .filter(lookup)
            .only("pk", "name", "credit_code", "address", "jurisdiction__name")
        }
    candidates = [Candidate(u.pk, u.name, u.credit_code, u.address) for u in units.values()]
    for row in rows:
        row.suggestions = [(s, units[s.unit_pk]) for s in suggest(row.respondent, candidates)]
    return rows[: len(complaints)], rows[len(complaints) :]
