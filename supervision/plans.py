"""The weighted draw of an inspection plan (双随机 with weights), pure and reproducible.

Within each street the units are drawn without replacement with probability proportional to their
risk weight (``supervision.risk``), by the method of Efraimidis and Spirakis (2006): every unit
gets the key ln(u) ÷ weight, u uniform in (0, 1]; the units with the largest keys, largest first,
are the sample in draw order. This is the same as drawing one unit at a time, each time with
probability weight ÷ (total weight of the units left), and needs one random number per unit.

The random numbers come from ``random.Random`` seeded with ``"<plan seed>:<street code>"``, so a
street's draw depends only on the plan's seed and that street's candidates: the same seed and
candidates give the same units in the same order, and adding a street changes no other street.
(The string seed is hashed with SHA-512 by the standard library, the same on every machine and
Python run; ``random.Random``'s generator is stable across Python versions for ``random()``.)
"""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Hashable, Mapping, Sequence
from decimal import ROUND_CEILING, Decimal
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def draw_count(candidates: int, ratio: Decimal, minimum: int) -> int:
    """How many units a street with ``candidates`` units gets: ``ratio`` percent rounded up, at
    least ``minimum``, at most all of them."""
    if candidates <= 0:
        return 0
    share = (Decimal(candidates) * ratio / 100).to_integral_value(rounding=ROUND_CEILING)
    return min(candidates, max(minimum, int(share)))


def weighted_order(items: Sequence[tuple[K, float]], k: int, rng: random.Random) -> list[K]:
    """``k`` of ``items`` ((key, weight > 0) pairs) drawn without replacement with probability
    proportional to weight, in draw order."""
    keyed = []
    for index, (key, weight) in enumerate(items):
        if not weight > 0:
            raise ValueError(f"The weight of {key!r} is {weight}; weights are positive.")
        u = 1.0 - rng.random()  # (0, 1]: ln(0) would be -inf
        keyed.append((math.log(u) / weight, -index, key))
    return [key for _score, _index, key in heapq.nlargest(k, keyed)]


def street_rng(seed: int, street_code: str) -> random.Random:
    # Reproducible on purpose (the plan is replayed from its seed); the seed itself comes from
    # the secrets module, so nobody can choose the draw.
    return random.Random(f"{seed}:{street_code}")  # noqa: S311


def draw(
    candidates: Mapping[str, Sequence[Sequence[float]]],
    *,
    seed: int,
    ratio: Decimal,
    minimum: int,
) -> dict[str, list[int]]:
    """Each street's drawn unit pks in draw order, from its candidates ``[[pk, weight], ...]``."""
    drawn = {}
    for code, rows in candidates.items():
        items = [(int(pk), float(weight)) for pk, weight in rows]
        k = draw_count(len(items), ratio, minimum)
        drawn[code] = weighted_order(items, k, street_rng(seed, code))
    return drawn
