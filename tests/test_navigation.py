"""The menu's grouping rules (navigation.menu_for); tests/browser/test_navigation.py shows it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from lyushunkou import navigation
from lyushunkou.models import Role
from lyushunkou.navigation import MenuEntry, MenuItem, menu_for


def shape(entries: list[MenuEntry]) -> list[tuple[str, list[str]]]:
    return [(str(entry.label), [str(child.label) for child in entry.children]) for entry in entries]


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def test_staff_see_top_level_links_and_groups_in_table_order() -> None:
    assert shape(menu_for(Role.STAFF)) == [
        ("Workbench", []),
        ("Dashboard", []),
        (
            "Units and demonstration",
            [
                "Units",
                "Demonstration applications",
                "Unit claims",
                "Demonstration blocks and industries",
            ],
        ),
        ("Complaints and surveys", ["Complaints", "Survey answers"]),
        ("Sampling and checks", ["Sampling", "On-site checks", "Risk-based supervision"]),
        ("Evaluation and reports", ["Grades", "Appeals", "Reports"]),
        (
            "District and notices",
            ["Jurisdictions", "Demonstration areas and network", "Notices"],
        ),
    ]


def test_operators_keep_a_flat_menu() -> None:
    assert shape(menu_for(Role.OPERATOR)) == [
        ("Workbench", []),
        ("My units", []),
        ("Complaints against my units", []),
        ("My grades", []),
    ]


def test_a_group_with_one_entry_for_the_role_is_a_plain_link(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    group = "Records"
    monkeypatch.setattr(
        navigation,
        "MENU",
        [
            MenuItem("Workbench", "home", frozenset(Role.values)),
            MenuItem("Units", "unit-list", frozenset({Role.STAFF, Role.LEADER}), group=group),
            MenuItem("Unit claims", "claim-list", frozenset({Role.STAFF}), group=group),
        ],
    )

    assert shape(menu_for(Role.STAFF)) == [("Workbench", []), ("Records", ["Units", "Unit claims"])]
    leader = menu_for(Role.LEADER, "/units/")
    assert leader == [MenuEntry("Workbench", "/"), MenuEntry("Units", "/units/", active=True)]


def test_the_current_page_marks_its_entry_and_group_only() -> None:
    entries = menu_for(Role.STAFF, "/units/claims/")

    units = next(entry for entry in entries if entry.children and entry.active)
    assert [(child.url, child.active) for child in units.children] == [
        ("/units/", False),
        ("/applications/", False),
        ("/units/claims/", True),
        ("/units/blocks/", False),
    ]
    assert [entry.label for entry in entries if entry.active] == [units.label]
    assert menu_for(Role.STAFF, "/")[0].active
    assert not any(entry.active for entry in menu_for(Role.STAFF, "/notifications/"))
