"""Identity checks when a unit comes in (issue 19 item 4), hooked on the units app's models so
that units never names this app: a unit created (self-registration, staff's entry, an import)
and a claim filed for a registered unit (with the licence, or with a claim code).

A unit written by ``bulk_create`` (the demo seeder) sends no signal and is not checked.
"""

from __future__ import annotations

from typing import Any

from supervision.models_identity import MatchTrigger
from supervision.services_identity import identity_check
from units.models import Unit
from units.models_claims import UnitClaim


def unit_created(
    sender: type[Unit], instance: Unit, created: bool, raw: bool, **kwargs: Any
) -> None:
    if not created or raw:
        return
    trigger = MatchTrigger.REGISTRATION if instance.verified_at is None else MatchTrigger.ENTRY
    identity_check(unit=instance, trigger=trigger, by=instance.owner if instance.owner_id else None)


def claim_filed(
    sender: type[UnitClaim], instance: UnitClaim, created: bool, raw: bool, **kwargs: Any
) -> None:
    # A new code's verification claim comes with the unit, already checked when it was created.
    if not created or raw or instance.kind == UnitClaim.Kind.NEW:
        return
    claimant = instance.claimant
    identity_check(
        unit=instance.unit,
        trigger=MatchTrigger.CLAIM,
        by=claimant,
        names=[instance.legal_representative],
        phones=[claimant.phone],
    )
