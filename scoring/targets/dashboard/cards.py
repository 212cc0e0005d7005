"""Cards that higher apps add to the leaders' dashboard (issue 21 item 2).

``scoring`` draws the dashboard and knows nothing of the apps above it: an app registers a
``DashboardCard`` from its ``AppConfig.ready()`` — a template and a function giving that template's
context for the user looking, or ``None`` to leave the card out — and the dashboard's template draws
every card with ``{% dashboard_cards %}`` (``scoring/templatetags/dashboard_cards.py``), in
``order``. A card's function reads what it shows in a fixed number of queries (STYLE.md habit 8:
the dashboard's query count is pinned).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from lyushunkou.models import User

CardContext = Callable[[User, dt.date], Mapping[str, Any] | None]


@dataclass(frozen=True)
class DashboardCard:
    key: str  # unique; registering a key again replaces the card (autoreload, tests)
    template: str
    context: CardContext
    order: int = 100


CARDS: list[DashboardCard] = []


def register(card: DashboardCard) -> None:
    CARDS[:] = sorted(
        [c for c in CARDS if c.key != card.key] + [card], key=lambda c: (c.order, c.key)
    )


def render_cards(request: HttpRequest, user: User, today: dt.date) -> SafeString:
    """Every card the user gets, rendered in order, each inside its own column."""
    parts: list[tuple[str, str]] = []
    for card in CARDS:
        context = card.context(user, today)
        if context is None:
            continue
        parts.append((card.key, render_to_string(card.template, dict(context), request=request)))
    return format_html_join("", '<div class="mb-4" data-dashboard-card="{}">{}</div>', parts)
