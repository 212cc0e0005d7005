"""Gates on applying for demonstration status, kept by the apps above ``units``.

A gate is a function of a unit that returns the reasons it may not apply now (an empty list: no
objection). The apps above units register theirs from ``AppConfig.ready()`` (risk-based
supervision holds back a unit while staff review whether it continues a revoked or dishonest
one); ``units`` consults every gate when an application is created or submitted, and shows their
reasons as an unmet item of the demonstration-unit standard, without naming those apps.

A gate's reasons are shown to the unit's operator as well as to staff: they must say what stands
in the way without disclosing other units' records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from units.models import Unit

GateCheck = Callable[[Unit], list[str]]


@dataclass(frozen=True)
class ApplicationGate:
    key: str
    label: str | Promise  # the standard checklist's line for it, e.g. 身份延续核查
    check: GateCheck


APPLICATION_GATES: list[ApplicationGate] = []


def register(key: str, label: str | Promise, check: GateCheck) -> None:
    """Add a gate once (``ready()`` may run more than once in tests)."""
    if all(existing.key != key for existing in APPLICATION_GATES):
        APPLICATION_GATES.append(ApplicationGate(key, label, check))


def closed_gates(unit: Unit) -> list[tuple[ApplicationGate, list[str]]]:
    """The gates that hold ``unit`` back, each with its reasons."""
    held = []
    for gate in APPLICATION_GATES:
        reasons = gate.check(unit)
        if reasons:
            held.append((gate, reasons))
    return held


def gate_reasons(unit: Unit) -> list[str]:
    """Every reason ``unit`` may not apply for demonstration status now."""
    return [reason for _gate, reasons in closed_gates(unit) for reason in reasons]
