"""Find English words in the visible text of a page meant to be in Chinese (issue 15 item 5).

The text a reader sees: every text node outside ``<script>``, ``<style>`` and ``<template>``,
screen-reader-only text included (it is read aloud). Attribute values and form values
(a textarea's text) are not read, nor text inside an element whose ``lang`` says it is not
Chinese on purpose: the footer names English in English so an English reader finds it, and
stored data shown as it is stored (an audit event's JSON) is marked ``zxx``, no linguistic
content.

Not words, and so never reported: URLs, e-mail addresses, paths and file names, identifiers
shown as codes (``q_base``, ``complaints.tasks.escalate_overdue_odr``), anything with a digit
in it (credit codes, record numbers, ``v1``, ``12315``, ``SHA-256``), and the proper nouns and
acronyms of ``ALLOWED``. A code of two dotted parts (``complaint.concluded``) is reported: that
is an audit action shown instead of its name.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Proper nouns and acronyms a Chinese page writes in Latin letters.
ALLOWED = frozenset(
    {
        "ODR",
        "PDF",
        "Excel",
        "CSV",
        "XLSX",
        "xlsx",
        "QR",
        "GeoJSON",
        "JSON",
        "API",
        "HTTP",
        "HTTPS",
        "URL",
        "TOTP",
        "HOTP",
        "SVG",
        "PNG",
        "JPG",
        "JPEG",
        "ECharts",
        "WCAG",
        "Markdown",
        "Celery",
        "Redis",
        "English",
        "Ctrl",  # the printing hint: Ctrl+P, ⌘P on a Mac
        "Mac",
        "Microsoft",  # authenticator apps named on the two-factor set-up page
        "Google",
        "Authenticator",
        "FreeOTP",
        "UTF",  # UTF-8
        "AMQP",
        "RabbitMQ",
        "WGS",  # WGS 84, the coordinates a phone's map shows
    }
)
# A textarea holds a form's value (as an input's value attribute does), not the interface's text.
SKIPPED_ELEMENTS = frozenset({"script", "style", "template", "noscript", "textarea"})
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)

_NOT_WORDS = re.compile(
    r"""
      https?://\S+                                  # URLs
    | \b[\w.+-]+@[\w-]+(?:\.[\w-]+)+                # e-mail addresses
    | (?<![\w/])/[\w./?=&%-]*                       # absolute paths
    | \b[\w-]+(?:/[\w.-]+)+                         # relative paths (docs/rubric.zh.md)
    | \b[\w-]+\.(?:pdf|xlsx|xls|csv|png|jpe?g|svg|docx?|zip|txt|json|md)\b  # file names
    | \b[a-z_]+(?:\.[a-z_]+){2,}\b                   # dotted module paths (the scheduler's tasks)
    | \b[A-Za-z]+(?:_[A-Za-z0-9]+)+\b                # identifiers shown as codes (q_base)
    | \b(?=[\w-]*\d)[\w-]+\b                         # codes and numbers: LSK-FXXF-2026-0001
    """,
    re.VERBOSE | re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z]{3,}")


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        # One entry per open element: does its text count?
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    def _counts(self) -> bool:
        return all(counts for _, counts in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_ELEMENTS:
            return
        lang = (dict(attrs).get("lang") or "").lower()
        other_language = bool(lang) and not lang.startswith("zh")
        self.stack.append((tag, tag not in SKIPPED_ELEMENTS and not other_language))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass  # <br/>, <img/>: no text

    def handle_endtag(self, tag: str) -> None:
        # Close up to the matching element (HTML lets some end tags be left out).
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if self._counts():
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def english_words(html: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """English words of three letters or more in the page's visible text, in order, once each."""
    text = _NOT_WORDS.sub(" ", visible_text(html))
    found: dict[str, None] = {}
    for word in _WORD.findall(text):
        if word not in ALLOWED and word not in allowed:
            found.setdefault(word)
    return list(found)
