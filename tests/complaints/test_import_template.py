"""The 12315 import's template workbook."""

from __future__ import annotations

import io

import pytest

from lyushunkou.models import User
from tests.complaints.import_helpers import (
    HEADERS,
    TEMPLATE,
    upload,
)
from tests.helpers import english

pytestmark = pytest.mark.django_db


# --- The template --------------------------------------------------------------------------


def test_the_template_has_the_headers_lists_and_a_marked_example_row(
    district_staff: User,
) -> None:
    from openpyxl import load_workbook

    client = english(district_staff)
    response = client.get(TEMPLATE)
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert len(sheet.data_validations.dataValidation) >= 6
    assert workbook.worksheets[1].title == "Instructions"
    result = upload(client, response.content, name="template.xlsx", dry_run=True)
    # The example row is marked: left in, it is refused by name instead of imported.
    assert result.context["result"].messages == ["Row 2 is the template's example row: delete it."]
