"""``{% dashboard_cards %}``: the cards other apps register for the dashboard
(``scoring.targets.dashboard.cards``), for the user of the request."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from scoring.targets.dashboard.cards import render_cards

register = template.Library()


@register.simple_tag(takes_context=True)
def dashboard_cards(context: dict[str, Any]) -> SafeString:
    request = context["request"]
    return render_cards(request, request.user, timezone.localdate())
