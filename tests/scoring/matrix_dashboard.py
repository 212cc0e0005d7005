"""Access-matrix rows of the leader dashboard (see tests/test_access_matrix.py).

``/dashboard/`` is read by staff (each their own scope: street staff default to their street) and
leaders; operators and the administrators are refused; anonymous visitors go to the login page.
Asking for another scope (a query-string parameter, which the matrix does not vary) is covered by
tests/scoring/test_dashboard_access.py.
"""

from __future__ import annotations

from typing import Any


def build(**world: Any) -> dict[str, Any]:
    return {}


def rows(m: Any) -> list[Any]:
    return [
        m.get("dashboard", m.STAFF_READ),
        # The leaders' big screen: the same readers and scopes as the dashboard.
        m.get("dashboard-screen", m.STAFF_READ),
    ]
