"""Every audit action the source records has a name for the interface (lyushunkou.audit_labels):
the audit log, a unit's history and the admin show 已受理, never ``complaint.accepted``."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from django.utils import translation

from lyushunkou.audit_labels import action_label, labelled_actions

ROOT = Path(__file__).resolve().parent.parent
SKIPPED = {".venv", "tests", "migrations", "node_modules"}


def _codes(node: ast.expr) -> Iterator[str]:
    """The literal codes an argument can be: a string, or either branch of ``a if c else b``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from _codes(node.body)
        yield from _codes(node.orelse)


def recorded_actions() -> dict[str, str]:
    """Each literal action code passed to ``audit.record`` (or ``action=`` of the helpers that
    record one for an import or an export) → where."""
    found: dict[str, str] = {}
    for path in sorted(ROOT.glob("*/**/*.py")):
        if SKIPPED & set(path.relative_to(ROOT).parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            arguments = []
            if name == "record" and node.args:
                arguments.append(node.args[0])
            arguments += [kw.value for kw in node.keywords if kw.arg == "action"]
            for argument in arguments:
                for code in _codes(argument):
                    if "." in code:  # argparse's action="store_true" is not an audit action
                        found.setdefault(code, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_the_scan_finds_the_actions_of_every_app() -> None:
    prefixes = {code.split(".")[0] for code in recorded_actions()}
    assert {"auth", "unit", "application", "sampling", "inspection", "report"} <= prefixes


def test_every_recorded_action_has_a_name() -> None:
    missing = [
        f"{where}: {code}"
        for code, where in sorted(recorded_actions().items())
        if code not in labelled_actions()
    ]
    assert missing == [], "name these in <app>/audit_labels.py:\n" + "\n".join(missing)


def test_a_name_is_shown_in_the_active_language() -> None:
    with translation.override("en"):
        assert action_label("complaint.concluded") == "Concluded"
        assert action_label("unit.commitment_created") == "Commitment recorded"


def test_an_action_without_a_name_shows_its_code() -> None:
    assert action_label("nothing.like_this") == "nothing.like_this"
