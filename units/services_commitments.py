"""The five self-discipline commitments saved from one form: all together or none."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from lyushunkou.models import User
from units import services
from units.models import Commitment, Unit


class CommitmentsNotSaved(Exception):
    """One commitment was refused: nothing was saved. ``kind`` names it, ``error`` says why."""

    def __init__(self, kind: str, error: ValidationError) -> None:
        super().__init__(kind, error)
        self.kind = kind
        self.error = error


@transaction.atomic
def commitments_save(
    *, unit: Unit, by: User, data_by_kind: Mapping[str, dict[str, Any]]
) -> list[Commitment]:
    """Save every kind given, in one transaction: a refusal of any undoes the others, so the
    operator never finds four saved and one silently dropped."""
    saved: list[Commitment] = []
    for kind, data in data_by_kind.items():
        try:
            with transaction.atomic():
                saved.append(services.commitment_save(unit=unit, by=by, kind=kind, **data))
        except ValidationError as error:
            raise CommitmentsNotSaved(kind, error) from error
    return saved
