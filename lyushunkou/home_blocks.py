"""Blocks that higher apps add to the public home page (issue 21 item 4).

The core app draws the front page and names no app above it: an app registers a ``HomeBlock``
from its ``AppConfig.ready()`` — a template and a function giving that template's context for the
request, or ``None`` to leave the block out — and ``templates/lyushunkou/front.html`` draws every
block with ``{% home_blocks %}`` (``lyushunkou/templatetags/home_blocks.py``), in ``order``. The
page is public: a block shows nothing personal, and reads what it shows in a fixed number of
queries.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

BlockContext = Callable[[HttpRequest], Mapping[str, Any] | None]


@dataclass(frozen=True)
class HomeBlock:
    key: str  # unique; registering a key again replaces the block (autoreload, tests)
    template: str
    context: BlockContext
    order: int = 100


BLOCKS: list[HomeBlock] = []


def register(block: HomeBlock) -> None:
    BLOCKS[:] = sorted(
        [b for b in BLOCKS if b.key != block.key] + [block], key=lambda b: (b.order, b.key)
    )


def render_blocks(request: HttpRequest) -> SafeString:
    """Every block the page shows, rendered in order, each in its own wrapper."""
    parts: list[tuple[str, str]] = []
    for block in BLOCKS:
        context = block.context(request)
        if context is None:
            continue
        parts.append((block.key, render_to_string(block.template, dict(context), request=request)))
    return format_html_join("", '<div class="mt-4" data-home-block="{}">{}</div>', parts)
