"""Who a unit might really be (issue 19 item 4): the units it shares an identity with that were
revoked, are on the dishonest list or are under open enforcement.

Reads only; ``supervision.services_identity`` stores what is found. The units at risk are few
(a district revokes, lists or opens cases against dozens a year), so they are read once and
compared in Python, where the names, phones and addresses can be normalised as people write them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.models import DishonestListing, Disposal, DisposalKind, Penalty
from lyushunkou.credit_codes import normalize_credit_code
from supervision.models_identity import MatchField, PreviousCreditCode, RiskKind
from units.models import DemonstrationStatus, Unit

# 市场监督管理行政处罚程序规定 Art. 64: a case is decided within 90 days of being opened, 30 more
# with approval, longer only by collective decision. A case opened (立案) with no penalty decided
# since counts as open enforcement for a year; older ones were closed some other way (不予处罚,
# transferred) that the portal does not record.
OPEN_CASE_DAYS = 365

# Written before a Lyushunkou address or left out of it: compared without them.
_ADDRESS_PREFIXES = ("辽宁省", "大连市", "旅顺口区", "旅顺")
_NOT_ADDRESS = re.compile(r"[^0-9a-z\u4e00-\u9fff]")
MIN_ADDRESS_LENGTH = 6  # "某路1号" alone names no place
MIN_PHONE_DIGITS = 7


def normalise_name(name: str) -> str:
    """A person's name as ``units.services_claims.same_person`` compares it."""
    return "".join(unicodedata.normalize("NFKC", name or "").split()).casefold()


def normalise_phone(phone: str) -> str:
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", phone or "") if ch.isdigit())
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]  # +86 138…
    return digits if len(digits) >= MIN_PHONE_DIGITS else ""


def normalise_address(address: str) -> str:
    """Full-width and half-width alike, no spaces or punctuation, without the province, city
    and district in front: "辽宁省大连市旅顺口区 登峰路１８号" → "登峰路18号"."""
    text = _NOT_ADDRESS.sub("", unicodedata.normalize("NFKC", address or "").casefold())
    changed = True
    while changed:
        changed = False
        for prefix in _ADDRESS_PREFIXES:
            if text.startswith(prefix):
                text, changed = text[len(prefix) :], True
    return text if len(text) >= MIN_ADDRESS_LENGTH else ""


@dataclass
class Identity:
    """What identifies an operator behind a unit, normalised."""

    names: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    addresses: set[str] = field(default_factory=set)
    codes: set[str] = field(default_factory=set)

    def shared(self, other: Identity) -> list[dict[str, str]]:
        reasons = []
        for key, mine, theirs in (
            (MatchField.LEGAL_REPRESENTATIVE, self.names, other.names),
            (MatchField.PHONE, self.phones, other.phones),
            (MatchField.ADDRESS, self.addresses, other.addresses),
            (MatchField.CREDIT_CODE, self.codes, other.codes),
        ):
            for value in sorted(mine & theirs):
                reasons.append({"field": str(key), "value": value})
        return reasons


def identity_of(
    unit: Unit,
    *,
    previous_codes: Iterable[str] = (),
    names: Iterable[str] = (),
    phones: Iterable[str] = (),
) -> Identity:
    """The unit's legal representative, contact phone, its operator account's phone, address and
    credit codes (its own and any previous one), with ``names`` and ``phones`` added (a claim's
    stated legal representative and the claimant's phone)."""
    owner_phone = unit.owner.phone if unit.owner_id and unit.owner else ""
    identity = Identity(
        names={normalise_name(n) for n in (unit.legal_representative, *names)} - {""},
        phones={normalise_phone(p) for p in (unit.contact_phone, owner_phone, *phones)} - {""},
        addresses={normalise_address(unit.address)} - {""},
        codes={normalize_credit_code(c) for c in (unit.credit_code, *previous_codes)} - {""},
    )
    return identity


@dataclass(frozen=True)
class AtRisk:
    unit: Unit
    risks: list[dict[str, str]]
    identity: Identity


def _risky_units(today: dt.date) -> QuerySet[Unit]:
    listed = DishonestListing.objects.filter(unit=OuterRef("pk"), listed_on__lte=today).filter(
        Q(removed_on__isnull=True) | Q(removed_on__gt=today)
    )
    decided_since = Penalty.objects.filter(
        unit_id=OuterRef("batch__unit_id"), decided_on__gte=OuterRef("done_on")
    )
    open_cases = Disposal.objects.filter(
        batch__unit=OuterRef("pk"),
        kind=DisposalKind.CASE_OPENED,
        done_on__gt=today - dt.timedelta(days=OPEN_CASE_DAYS),
        done_on__lte=today,
    ).filter(~Exists(decided_since))
    listed_units = DishonestListing.objects.filter(listed_on__lte=today).filter(
        Q(removed_on__isnull=True) | Q(removed_on__gt=today)
    )
    case_units = Disposal.objects.filter(
        kind=DisposalKind.CASE_OPENED, done_on__gt=today - dt.timedelta(days=OPEN_CASE_DAYS)
    )
    return (
        Unit.objects.filter(
            Q(demonstration_status=DemonstrationStatus.REVOKED)
            | Q(pk__in=listed_units.values("unit_id"))
            | Q(pk__in=case_units.values("batch__unit_id"))
        )
        .select_related("owner")
        .annotate(
            listed_on=Subquery(listed.order_by("-listed_on").values("listed_on")[:1]),
            listed_reason=Subquery(listed.order_by("-listed_on").values("reason")[:1]),
            case_on=Subquery(open_cases.order_by("-done_on").values("done_on")[:1]),
            case_batch=Subquery(open_cases.order_by("-done_on").values("batch__sample_no")[:1]),
        )
    )


def units_at_risk(*, exclude: Unit | None = None, today: dt.date | None = None) -> list[AtRisk]:
    """Every unit revoked, listed as dishonest or under open enforcement today, with its
    identity; two queries however many there are."""
    today = today or timezone.localdate()
    qs = _risky_units(today)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    units = list(qs)
    if not units:
        return []
    previous: dict[int, list[str]] = {}
    for unit_id, code in PreviousCreditCode.objects.filter(
        unit_id__in=[u.pk for u in units]
    ).values_list("unit_id", "credit_code"):
        previous.setdefault(unit_id, []).append(code)
    found = []
    for unit in units:
        risks = _risks(unit)
        if risks:
            found.append(
                AtRisk(unit, risks, identity_of(unit, previous_codes=previous.get(unit.pk, [])))
            )
    return found


def _risks(unit: Unit) -> list[dict[str, str]]:
    risks = []
    if unit.demonstration_status == DemonstrationStatus.REVOKED:
        risks.append(
            {"kind": str(RiskKind.REVOKED), "since": "", "detail": unit.status_reason[:300]}
        )
    listed_on = getattr(unit, "listed_on", None)
    if listed_on is not None:
        risks.append(
            {
                "kind": str(RiskKind.DISHONEST),
                "since": listed_on.isoformat(),
                "detail": str(getattr(unit, "listed_reason", "") or "")[:300],
            }
        )
    case_on = getattr(unit, "case_on", None)
    if case_on is not None:
        risks.append(
            {
                "kind": str(RiskKind.ENFORCEMENT),
                "since": case_on.isoformat(),
                "detail": _("Case opened after the failed batch %(sample)s")
                % {"sample": getattr(unit, "case_batch", "")},
            }
        )
    return risks


@dataclass(frozen=True)
class Candidate:
    matched: Unit
    reasons: list[dict[str, str]]
    risks: list[dict[str, str]]


def find_matches(
    unit: Unit,
    *,
    names: Iterable[str] = (),
    phones: Iterable[str] = (),
    today: dt.date | None = None,
) -> list[Candidate]:
    """The units at risk that share something with ``unit`` (and with a claim's stated name and
    claimant's phone), with what they share and why they matter."""
    at_risk_units = units_at_risk(exclude=unit, today=today)
    if not at_risk_units:
        return []
    previous = PreviousCreditCode.objects.filter(unit=unit).values_list("credit_code", flat=True)
    mine = identity_of(unit, previous_codes=list(previous), names=names, phones=phones)
    candidates = []
    for at_risk in at_risk_units:
        reasons = mine.shared(at_risk.identity)
        if reasons:
            candidates.append(Candidate(at_risk.unit, reasons, at_risk.risks))
    return candidates
