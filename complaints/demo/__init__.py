"""Synthetic complaints for ``seed_demo``: a year of the district's 12315 register, and survey
answers.

Everything random comes from the ``rng`` the seeder protocol hands in (``lyushunkou.demo``), so a
seed always gives the same complaints; dates are relative to the day of seeding (a complaint is
open or overdue *today*). Complaints are built as unsaved model instances with a timeline that
matches their state, and saved with ``bulk_create`` batch by batch. The legal clocks come from one
``WorkdayCalendar`` loaded for the whole period (``FastCalendar``), which gives the same dates as
``complaints.clocks`` without one query per deadline.

About 70% of complaints are against seeded units (``units.demo``), a few of them against the demo
operators' units and forwarded to them (ODR), so the operator workspace has something to show.

The package: ``data`` (what the seeder draws from), ``workdays`` (``FastCalendar``), ``planning``
(the records and the planner's generators), ``workflow`` (a complaint's steps), ``planner`` (the
planner) and ``seeding`` (saving). The names below are the ones other modules use.
"""

from __future__ import annotations

from complaints.demo.planner import ComplaintPlanner
from complaints.demo.seeding import seed_complaints
from complaints.demo.workdays import FastCalendar

__all__ = ["ComplaintPlanner", "FastCalendar", "seed_complaints"]
