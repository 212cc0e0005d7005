"""Markdown for notices, rendered safely: raw HTML is shown as text, never passed through.

markdown-it-py escapes HTML when ``html`` is off and refuses ``javascript:``/``data:`` link
targets by default. Images are off too: the CSP would block an outside image anyway, and a
notice carries its pictures as attachments.
"""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_RENDERER = MarkdownIt("commonmark", {"html": False}).disable("image")


def render_markdown(text: str) -> SafeString:
    html: str = _RENDERER.render(text)
    return mark_safe(html)  # noqa: S308 - html is off: the output is escaped
