"""``{% home_blocks %}``: the blocks other apps register for the public home page
(``lyushunkou.home_blocks``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from lyushunkou.home_blocks import render_blocks

register = template.Library()


@register.simple_tag(takes_context=True)
def home_blocks(context: dict[str, Any]) -> SafeString:
    return render_blocks(context["request"])
