"""Form widgets shared by the apps."""

from __future__ import annotations

from typing import Any

from django import forms


class DatePicker(forms.DateInput):
    """The browser's date picker. It only accepts ISO dates, whatever the page's language, while
    Django would render the localised form (2026/11/29 in Chinese) and leave the picker empty."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
