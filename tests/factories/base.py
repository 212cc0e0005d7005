"""What the factories share: a random stream per row and the district's jurisdictions."""

from __future__ import annotations

import random

from lyushunkou.models import Jurisdiction

DISTRICT = "210212000000"
DENGFENG = "210212001000"


def rng_for(kind: str, n: int) -> random.Random:
    """The random stream of row ``n`` of ``kind``: the same row gets the same data in every run,
    and rows of different kinds or numbers draw independently."""
    return random.Random(f"factory:{kind}:{n}")


def jurisdiction(code: str = DENGFENG) -> Jurisdiction:
    """A jurisdiction of the data migration (登峰街道 unless told)."""
    return Jurisdiction.objects.get(code=code)
