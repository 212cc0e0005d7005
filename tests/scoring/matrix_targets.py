"""Access-matrix rows of this part of the scoring app (see tests/test_access_matrix.py).

``build`` makes the objects the rows need (returned into ``World.extra``); ``rows(m)`` returns the
rows, using the matrix module ``m`` for ``m.get``, ``m.post``, ``m.expect`` and the expectations.
"""

from __future__ import annotations

from typing import Any


def build(**world: Any) -> dict[str, Any]:
    return {}


def rows(m: Any) -> list[Any]:
    return []
