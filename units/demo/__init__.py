"""Synthetic units for ``seed_demo``: the register, commitments, 12315 stations and applications.

Everything random comes from the ``rng`` the seeder protocol hands in (``lyushunkou.demo``), so a
seed always gives the same units, names, credit codes and public ids. Dates are relative to the
day of seeding, because a certificate must be valid (or expired) *today*; they never change how
many numbers are drawn from ``rng``, so only the dates move from one day to the next.

The planner (``UnitPlanner``) builds unsaved model instances batch by batch and never queries the
database; ``seed_units`` looks up what it needs once, saves each batch with ``bulk_create`` and
throws it away, so memory stays flat even at province scale (5 M units).

The package: ``data`` (what the seeder draws from), ``records`` (the planned records), ``base``
(the planner's state and small generators), ``applications`` (a demonstration application's
history), ``planner`` (``UnitPlanner``: units, commitments, stations), ``saving`` (a batch into the
database) and ``seeding`` (``seed_units``). The names below are the ones other modules use; the
complaints seeder (``complaints.demo``) draws on the same names, roads and people.
"""

from __future__ import annotations

from units.demo.data import (
    BRAND_WORDS,
    DEFAULT_JURISDICTION_WEIGHT,
    GIVEN_NAMES,
    JURISDICTION_WEIGHTS,
    MOBILE_PREFIXES,
    ROADS,
    SHOP_SUFFIXES,
    SURNAME_WEIGHTS,
    SURNAMES,
)
from units.demo.planner import UnitPlanner
from units.demo.records import Place
from units.demo.saving import _own_timestamps
from units.demo.seeding import _places, seed_units

__all__ = [
    "BRAND_WORDS",
    "DEFAULT_JURISDICTION_WEIGHT",
    "GIVEN_NAMES",
    "JURISDICTION_WEIGHTS",
    "MOBILE_PREFIXES",
    "ROADS",
    "SHOP_SUFFIXES",
    "SURNAMES",
    "SURNAME_WEIGHTS",
    "Place",
    "UnitPlanner",
    "_own_timestamps",
    "_places",
    "seed_units",
]
