"""The record kinds an indicator of the rubric may count (DESIGN.md §5), by name."""

from __future__ import annotations

from scoring.grading.rules.records import BASE_KINDS, RecordKind
from scoring.grading.rules.verified import KINDS as VERIFIED_KINDS

RECORD_KINDS: dict[str, RecordKind] = {kind.name: kind for kind in BASE_KINDS + VERIFIED_KINDS}
