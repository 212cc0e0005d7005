"""The records the units planner builds: a street as the planner sees it, a planned application
with its history, and a batch of unsaved instances."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from units.models import Commitment, DemonstrationApplication, ServiceStation, Unit


@dataclass(frozen=True)
class Place:
    """A jurisdiction as the planner needs it: no queries while planning."""

    id: int
    code: str
    name: str


@dataclass
class PlannedEvent:
    from_status: str
    to_status: str
    by_applicant: bool  # else by the reviewing staff member
    at: dt.datetime
    reason: str = ""


@dataclass
class PlannedApplication:
    application: DemonstrationApplication
    events: list[PlannedEvent]
    lapse: str = ""  # for a unit in warning: which criterion lapsed (units.demo_status)
    notice: tuple[dt.date, dt.date] | None = None  # first and last day of a running notice


@dataclass
class Batch:
    units: list[Unit] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    stations: list[ServiceStation] = field(default_factory=list)
    applications: list[PlannedApplication] = field(default_factory=list)
