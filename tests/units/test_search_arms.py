"""The list searches add a credit-code arm only for text a credit code can start with (issue 17:
an OR on the code beside the name kept PostgreSQL from the name's index at city scale)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lyushunkou.credit_codes import credit_code_prefix
from lyushunkou.models import User
from tests.conftest import client_for
from units.filters import UnitFilter
from units.models import Unit


@pytest.mark.parametrize(
    ("typed", "prefix"),
    [
        ("9121 0212", "91210212"),
        ("９１２１０２１２", "91210212"),  # full-width digits, as pasted from a document
        ("91210212-mA", "91210212MA"),
        ("海鲜", ""),
        ("海鲜9121", ""),
        ("91210212O", ""),  # O is not a credit-code character
        ("9" * 19, ""),  # longer than a code
        ("", ""),
    ],
)
def test_only_text_a_credit_code_can_start_with_is_a_code_prefix(typed: str, prefix: str) -> None:
    assert credit_code_prefix(typed) == prefix


def test_a_name_search_has_no_credit_code_arm(unit: Unit) -> None:
    by_name = UnitFilter({"q": "海鲜"}, queryset=Unit.objects.all()).qs
    assert "credit_code" not in str(by_name.query).split("WHERE", 1)[1]
    assert list(by_name) == [unit]


def test_the_unit_list_finds_by_name_and_by_a_spaced_code_prefix(
    unit: Unit, district_staff: User
) -> None:
    staff = client_for(district_staff)
    spaced = f"{unit.credit_code[:4]} {unit.credit_code[4:10]}"
    for typed in ("海鲜", spaced):
        response = staff.get(reverse("unit-list"), {"q": typed})
        assert response.status_code == 200
        assert unit.name in response.content.decode()
