"""The one rule for control characters in text from outside (issue 16): they are removed.

Removed: the C0 controls except tab, line feed and carriage return (U+0000–U+0008, U+000B,
U+000C, U+000E–U+001F), DEL (U+007F) and the C1 controls (U+0080–U+009F) — Unicode's "Cc"
category less the three whitespace characters a textarea or a CSV legitimately holds.

- NUL: PostgreSQL refuses it in text and JSON, so a NUL that reaches a query is a 500.
- The other C0 controls: XML 1.0 cannot hold them, so a stored one would make every later
  .xlsx export and PDF of the record fail; Word pastes some (U+0007 at table cells, U+000B for a
  manual line break) that nobody sees in a field.
- C1 and DEL: nobody types them; U+009B is a terminal's escape introducer in logs and exports
  read on a console, and the others appear only from text decoded with the wrong code page.

They are stripped rather than refused: they are invisible, so an error naming the field would
ask the user to remove something they cannot see. Format characters (zero-width joiners,
direction marks, category "Cf") are left alone: Chinese and mixed-script text uses them.
"""

from __future__ import annotations

import re
from typing import Any

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A URL path has no use for any control character, tab and line breaks included.
PATH_CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f]")


def has_controls(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None


def strip_controls(text: str) -> str:
    """``text`` without the control characters of the rule above."""
    if not has_controls(text):  # the usual case: no copy
        return text
    return CONTROL_CHARACTERS.sub("", text)


def strip_controls_deep(value: Any) -> Any:
    """Strings anywhere in a JSON-like value (dict keys included) without control characters."""
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, dict):
        return {strip_controls_deep(key): strip_controls_deep(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [strip_controls_deep(item) for item in value]
    return value
