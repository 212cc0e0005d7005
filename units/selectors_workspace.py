"""Reads for the operator workspace and application review; callers pass objects already
fetched through ``units.access``, so these never widen anyone's scope."""

from __future__ import annotations

from django.db.models import QuerySet

from lyushunkou.models import User
from units.models import Commitment, ServiceStation, Unit
from units.models_claims import UnitClaim


def unit_commitments(unit: Unit) -> list[Commitment]:
    return list(Commitment.objects.filter(unit=unit).order_by("kind"))


def unit_station(unit: Unit) -> ServiceStation | None:
    return ServiceStation.objects.filter(unit=unit).first()


def my_pending_claims(user: User) -> QuerySet[UnitClaim]:
    return UnitClaim.objects.filter(claimant=user, status=UnitClaim.Status.PENDING).select_related(
        "unit"
    )
